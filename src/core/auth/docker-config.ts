/**
 * docker's `config.json`, read the way the docker CLI reads it (cli/config/configfile), and
 * the choice of credential store for a registry host as the CLI makes it:
 *
 *   1. `credHelpers[host]`, when present and not empty: `docker-credential-<value>`;
 *   2. else `credsStore`, when set: `docker-credential-<credsStore>`;
 *   3. else `auths[host]` in the file itself (also matched as `https://host/...`, docker's
 *      legacy key form).
 *
 * An empty `credHelpers[host]` value sends docker to the file, not to `credsStore` (the CLI
 * checks `helper != ""` after the lookup), and that quirk is kept here.
 * Every secret read from the file is registered with `registerSecret` before it is returned.
 */
import { readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { registerSecret, registerSecretFields } from '../log/redact.js';

/** One `auths` entry with its `auth` field decoded, as docker holds it in memory. */
export interface DockerAuthEntry {
  username?: string;
  password?: string;
  identityToken?: string;
  registryToken?: string;
}

/** The parts of config.json that decide credentials. */
export interface DockerConfig {
  path: string;
  /** False when the file does not exist (docker then has no credential at all). */
  exists: boolean;
  auths: Map<string, DockerAuthEntry>;
  credsStore?: string;
  credHelpers: Map<string, string>;
}

/** Where docker's credential for one host comes from. */
export type CredentialSource =
  | { kind: 'helper'; helper: string; via: 'credHelpers' | 'credsStore' }
  | { kind: 'file'; key: string; entry: DockerAuthEntry }
  | { kind: 'none' };

/** Thrown for a config.json docker itself would refuse; the message names the file. */
export class DockerConfigError extends Error {
  constructor(
    readonly file: string,
    why: string,
  ) {
    super(`${file}: ${why}`);
    this.name = 'DockerConfigError';
  }
}

/** The key docker files Docker Hub's credential under. */
export const DOCKER_HUB_KEY = 'https://index.docker.io/v1/';

const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

/** `$DOCKER_CONFIG/config.json`, else `$HOME/.docker/config.json` (as the docker CLI). */
export function dockerConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.DOCKER_CONFIG || path.join(env.HOME || os.homedir(), '.docker');
  return path.join(dir, 'config.json');
}

/** The key docker uses in config.json for a registry host (`host` or `host:port`). */
export function dockerConfigKey(host: string): string {
  return host === 'docker.io' || host === 'registry-1.docker.io' || host === 'index.docker.io' ? DOCKER_HUB_KEY : host;
}

/**
 * Read and parse config.json. A missing file is an empty config (`exists: false`); an
 * unreadable, oversized or malformed one throws `DockerConfigError` naming what is wrong.
 */
export function loadDockerConfig(file: string = dockerConfigPath()): DockerConfig {
  const empty: DockerConfig = { path: file, exists: false, auths: new Map(), credHelpers: new Map() };
  let text: string;
  try {
    if (statSync(file).size > MAX_CONFIG_BYTES)
      throw new DockerConfigError(file, `larger than ${MAX_CONFIG_BYTES / 1024 / 1024} MiB`);
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof DockerConfigError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return empty;
    throw new DockerConfigError(file, `cannot be read (${code ?? 'error'})`);
  }
  return parseDockerConfig(text, file);
}

/** Parse the text of a config.json (`file` only names it in errors). */
export function parseDockerConfig(text: string, file: string): DockerConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    // JSON.parse's message quotes the text near the error, which may hold a secret.
    const where = /position (\d+)/.exec((err as Error).message)?.[1];
    throw new DockerConfigError(file, `is not valid JSON${where ? ` (at position ${where})` : ''}`);
  }
  if (!isObject(raw)) throw new DockerConfigError(file, 'is not a JSON object');
  // Every secret of the file (the auths' and any other, HttpHeaders' API keys...) before anything can see it.
  registerSecretFields(raw);
  const config: DockerConfig = { path: file, exists: true, auths: new Map(), credHelpers: new Map() };
  if (raw.auths !== undefined) {
    if (!isObject(raw.auths)) throw new DockerConfigError(file, '"auths" is not an object');
    for (const [key, value] of Object.entries(raw.auths)) config.auths.set(key, parseAuthEntry(file, key, value));
  }
  if (raw.credsStore !== undefined && raw.credsStore !== '') {
    if (typeof raw.credsStore !== 'string') throw new DockerConfigError(file, '"credsStore" is not a string');
    config.credsStore = raw.credsStore;
  }
  if (raw.credHelpers !== undefined) {
    if (!isObject(raw.credHelpers)) throw new DockerConfigError(file, '"credHelpers" is not an object');
    for (const [host, helper] of Object.entries(raw.credHelpers)) {
      if (typeof helper !== 'string') throw new DockerConfigError(file, `"credHelpers"."${host}" is not a string`);
      config.credHelpers.set(host, helper);
    }
  }
  return config;
}

function parseAuthEntry(file: string, key: string, value: unknown): DockerAuthEntry {
  if (!isObject(value)) throw new DockerConfigError(file, `"auths"."${key}" is not an object`);
  const entry: DockerAuthEntry = {};
  const str = (name: string): string | undefined =>
    typeof value[name] === 'string' && value[name] !== '' ? (value[name] as string) : undefined;
  if (str('username')) entry.username = str('username');
  if (str('password')) entry.password = str('password');
  if (str('identitytoken')) entry.identityToken = str('identitytoken');
  if (str('registrytoken')) entry.registryToken = str('registrytoken');
  const auth = str('auth');
  if (auth) {
    // docker: base64 of "user:password" with a non-empty user; anything else makes the CLI
    // refuse the whole file ("Invalid auth configuration file").
    const decoded = Buffer.from(auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(auth)) {
      throw new DockerConfigError(file, `"auths"."${key}"."auth" is not base64 of "user:password"`);
    }
    entry.username = decoded.slice(0, colon);
    entry.password = decoded.slice(colon + 1);
    registerSecret(entry.password);
  }
  return entry;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `https://gcr.io/v1/` -> `gcr.io`: docker's ConvertToHostname for legacy keys. */
export function convertToHostname(key: string): string {
  return key.replace(/^https?:\/\//, '').split('/')[0]!;
}

/** The `auths` entry docker would use for `key` (exact key first, then legacy URL keys). */
export function findAuthEntry(config: DockerConfig, key: string): { key: string; entry: DockerAuthEntry } | undefined {
  const exact = config.auths.get(key);
  if (exact) return { key, entry: exact };
  for (const [k, entry] of config.auths) if (convertToHostname(k) === key) return { key: k, entry };
  return undefined;
}

/** Which store docker would ask for the credential of `host`. */
export function credentialSourceFor(config: DockerConfig, host: string): CredentialSource {
  const key = dockerConfigKey(host);
  const specific = config.credHelpers.get(key);
  if (specific !== undefined) {
    if (specific !== '') return { kind: 'helper', helper: specific, via: 'credHelpers' };
  } else if (config.credsStore) {
    return { kind: 'helper', helper: config.credsStore, via: 'credsStore' };
  }
  const found = findAuthEntry(config, key);
  const usable =
    found && (found.entry.username || found.entry.password || found.entry.identityToken || found.entry.registryToken);
  return usable ? { kind: 'file', key: found.key, entry: found.entry } : { kind: 'none' };
}

/** Hosts the config names a credential for (credHelpers keys, and auths keys with a secret). */
export function hostsWithCredentials(config: DockerConfig): string[] {
  const hosts = new Set<string>();
  for (const [host, helper] of config.credHelpers) if (helper) hosts.add(host);
  for (const [key, e] of config.auths) {
    // With a credsStore, auths entries are empty markers of a login kept in the store.
    if (e.password || e.identityToken || e.registryToken || config.credsStore) hosts.add(convertToHostname(key));
  }
  return [...hosts].sort();
}
