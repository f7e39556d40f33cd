/**
 * Endpoint names cut to a column without losing what tells them apart: the region at the
 * front (`europe-west1` of `europe-west1-docker.pkg.dev`) and the port at the end stay, the
 * middle gives way (`europe-west1~pkg.dev:443`). Cutting the end, as plain truncation does,
 * makes every Artifact Registry host read `…-docker.pk~` and all of them look alike.
 */

/** The part of a name that says where it is: the region of `*-docker.pkg.dev`, else the first label. */
function headOf(name: string): string {
  const region = /^([a-z0-9-]+?)-docker\.pkg\.dev/i.exec(name);
  if (region) return region[1]!;
  return /^[^.:]+/.exec(name)?.[0] ?? name;
}

/** Suffixes of `rest` that start at a label boundary, longest first (`docker.pkg.dev:443`, ..., `:443`). */
function boundarySuffixes(rest: string): string[] {
  const out: string[] = [];
  for (let i = 1; i < rest.length; i++) {
    if ('.-'.includes(rest[i - 1]!)) out.push(rest.slice(i));
    // The port keeps its colon.
    if (rest[i] === ':') out.push(rest.slice(i));
  }
  return out;
}

/** `name` in at most `width` columns, its middle replaced by `~` when it does not fit. */
export function shortenHost(name: string, width: number): string {
  if (name.length <= width) return name;
  if (width <= 1) return name.slice(0, Math.max(0, width));
  const head = headOf(name);
  const rest = name.slice(head.length);
  for (const tail of boundarySuffixes(rest)) {
    if (head.length + 1 + tail.length <= width) return `${head}~${tail}`;
  }
  const port = /:\d+$/.exec(name)?.[0] ?? '';
  if (head.length + 1 + port.length <= width) return `${head.slice(0, width - 1 - port.length)}~${port}`;
  return `${name.slice(0, width - 1)}~`;
}

/**
 * `name` without its port, when the name does not fit and the host alone does and names no
 * other endpoint of the set: `us-docker.pkg.dev` reads better than `us~pkg.dev:38629`.
 */
function withoutPort(name: string, names: readonly string[], width: number): string | undefined {
  const host = hostOf(name);
  if (name.length <= width || host === name || host.length > width) return undefined;
  return names.filter((n) => hostOf(n) === host).length === 1 ? host : undefined;
}

/** `host` of `host:port` (and of `[v6]:port`, brackets kept); the name itself without a port. */
function hostOf(name: string): string {
  return /^(\[[^\]]+\]|[^:]+):\d+$/.exec(name)?.[1] ?? name;
}

/**
 * `shortenHost` for a set of names shown together (a port given way first, when the host
 * alone fits and is unique): when two shortened names would read the
 * same, those two are cut at the end instead (their starts differ, or they would be equal).
 */
export function shortenHosts(names: readonly string[], width: number): string[] {
  const short = names.map((n) => withoutPort(n, names, width) ?? shortenHost(n, width));
  const seen = new Map<string, number>();
  for (const s of short) seen.set(s, (seen.get(s) ?? 0) + 1);
  return short.map((s, i) =>
    (seen.get(s) ?? 0) > 1 && names[i]!.length > width ? `${names[i]!.slice(0, width - 1)}~` : s,
  );
}
