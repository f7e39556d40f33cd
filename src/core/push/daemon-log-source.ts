/**
 * Which log of the docker daemon a wrapped push read, or why none: recorded in the session's
 * start options (`daemonLogSource`) so that the diagnosis and `report` can say whether the
 * daemon's own reasons were looked for. Pure.
 */

/** Where the daemon's words came from. */
export type DaemonLogSource =
  { kind: 'journal'; unit: string; user?: boolean } | { kind: 'file'; path: string } | { kind: 'none'; reason: string };

/** `journalctl -u docker.service`, `/var/log/docker.log`, or `not read: <reason>`. */
export function describeDaemonLogSource(s: DaemonLogSource): string {
  switch (s.kind) {
    case 'journal':
      return `journalctl ${s.user ? '--user ' : ''}-u ${s.unit}`;
    case 'file':
      return s.path;
    case 'none':
      return `not read: ${s.reason}`;
  }
}

/** The source recorded in a session's start options, if any (older logs have none). */
export function recordedDaemonLogSource(options: Record<string, unknown>): DaemonLogSource | undefined {
  const s = options.daemonLogSource as Record<string, unknown> | undefined;
  if (!s || typeof s !== 'object') {
    // Logs written before discovery record only the --daemon-log flag.
    const flag = options.daemonLog;
    if (typeof flag !== 'string' || !flag) return undefined;
    return flag === 'journal' ? { kind: 'journal', unit: 'docker.service' } : { kind: 'file', path: flag };
  }
  if (s.kind === 'journal' && typeof s.unit === 'string')
    return { kind: 'journal', unit: s.unit, ...(s.user === true ? { user: true } : {}) };
  if (s.kind === 'file' && typeof s.path === 'string') return { kind: 'file', path: s.path };
  if (s.kind === 'none' && typeof s.reason === 'string') return { kind: 'none', reason: s.reason };
  return undefined;
}

/**
 * The words to put beside a low-confidence verdict of a session that wrapped a push: "The
 * daemon's log was not read (why)." Undefined when the log was read or no push was wrapped.
 */
export function daemonLogNotReadNote(options: Record<string, unknown>, pushed: boolean): string | undefined {
  if (!pushed) return undefined;
  const source = recordedDaemonLogSource(options);
  if (source && source.kind !== 'none') return undefined;
  return `The daemon's log was not read (${source ? source.reason : 'this session recorded no source'}).`;
}
