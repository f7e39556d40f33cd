/**
 * Docker image references, parsed the way the docker CLI reads them
 * (distribution/reference's normalisation): the first path component is a registry host
 * only when it contains a `.` or a `:`, or is `localhost`; otherwise the image lives on
 * Docker Hub, whose registry host is `registry-1.docker.io`, and one-component names get the
 * `library/` prefix.
 */

/** A parsed image reference. */
export interface ImageRef {
  /** Registry host as docker names it (`docker.io` for Docker Hub). */
  registry: string;
  /** The host:port actually contacted (`registry-1.docker.io` for Docker Hub). */
  endpoint: string;
  repository: string;
  tag?: string;
  digest?: string;
}

const DOCKER_HUB = 'docker.io';
const DOCKER_HUB_ENDPOINT = 'registry-1.docker.io';
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;
const HOST = /^(?:\[[0-9a-fA-F:.]+\]|[a-zA-Z0-9](?:[a-zA-Z0-9.-]*[a-zA-Z0-9])?)(?::\d{1,5})?$/;

/** Thrown for a reference docker itself would refuse; the message names the input. */
export class ImageRefError extends Error {
  constructor(input: string, why: string) {
    super(`invalid image reference "${input}": ${why}`);
    this.name = 'ImageRefError';
  }
}

/** True when `component` would be taken by docker as a registry host. */
export function looksLikeRegistryHost(component: string): boolean {
  return component.includes('.') || component.includes(':') || component === 'localhost';
}

/** Parse an image reference such as `europe-west1-docker.pkg.dev/proj/repo/app:tag`. */
export function parseImageRef(input: string): ImageRef {
  const ref = input.trim();
  if (!ref) throw new ImageRefError(input, 'empty');
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw new ImageRefError(input, `bad digest "${digest}"`);
  }
  const slash = rest.indexOf('/');
  const first = slash >= 0 ? rest.slice(0, slash) : '';
  const hasHost = slash >= 0 && looksLikeRegistryHost(first);
  let registry = hasHost ? first : DOCKER_HUB;
  let path = hasHost ? rest.slice(slash + 1) : rest;
  let tag: string | undefined;
  const colon = path.lastIndexOf(':');
  if (colon >= 0) {
    tag = path.slice(colon + 1);
    path = path.slice(0, colon);
    if (!TAG.test(tag)) throw new ImageRefError(input, `bad tag "${tag}"`);
  }
  if (hasHost && !HOST.test(registry)) throw new ImageRefError(input, `bad registry host "${registry}"`);
  const components = path.split('/');
  if (!path || components.some((c) => !COMPONENT.test(c))) {
    throw new ImageRefError(input, 'repository must be lower-case path components');
  }
  if (registry === 'index.docker.io') registry = DOCKER_HUB;
  if (registry === DOCKER_HUB && components.length === 1) path = `library/${path}`;
  const endpoint = registry === DOCKER_HUB ? DOCKER_HUB_ENDPOINT : registry;
  const out: ImageRef = { registry, endpoint, repository: path };
  if (tag) out.tag = tag;
  if (digest) out.digest = digest;
  return out;
}

/** The id a target is known by: `host`, or `host:port` when the port is not 443 (`[v6]:port`). */
export function targetId(host: string, port: number): string {
  const h = host.includes(':') ? `[${host}]` : host;
  return port === 443 ? h : `${h}:${port}`;
}

/** A registry endpoint as a probe target: host lower-cased (IPv6 without brackets), port 443 unless given. */
export interface RegistryEndpoint {
  id: string;
  host: string;
  port: number;
  /** The endpoint named its port (`localhost:5000`), rather than implying 443. */
  portGiven: boolean;
}

/**
 * Read an endpoint (`ImageRef.endpoint`, or a `push.start` event's `registry`): `host`,
 * `host:port` or `[v6]:port`. Never throws: text from a log is read as well as it can be.
 */
export function parseEndpoint(endpoint: string): RegistryEndpoint {
  const m = /^(?:\[([^\]]*)\]|([^:]*))(?::(\d{1,5}))?$/.exec(endpoint.trim());
  const host = (m ? (m[1] ?? m[2]!) : endpoint.trim()).toLowerCase().replace(/\.$/, '');
  const port = m?.[3] ? Number(m[3]) : 443;
  return { id: targetId(host, port), host, port, portGiven: Boolean(m?.[3]) };
}

/**
 * True when a probe target is where `endpoint` is: the same id, or the same host when the
 * endpoint names no port (the registry probed on another port: a pinned or simulated one).
 */
export function isEndpointTarget(target: { id: string; host: string }, endpoint: RegistryEndpoint): boolean {
  return target.id === endpoint.id || (!endpoint.portGiven && target.host.toLowerCase() === endpoint.host);
}

/** Where an image is pushed: its endpoint as a probe target, and its repository. */
export interface PushTarget extends RegistryEndpoint {
  repository: string;
}

/** The push target of an image; the one derivation the store, the diagnosis and the credential checks read. */
export function imagePushTarget(ref: Pick<ImageRef, 'endpoint' | 'repository'>): PushTarget {
  return { ...parseEndpoint(ref.endpoint), repository: ref.repository };
}
