/**
 * What a wrapped command line pushes, and with which tool: `docker push IMAGE` (also
 * `docker image push`, with docker's global options before it), `podman push IMAGE [DEST]`,
 * `buildah push IMAGE [DEST]`, `crane push TAR IMAGE`, `crane copy SRC DST`,
 * `skopeo copy SRC docker://IMAGE`, `docker buildx build --push -t IMAGE`. `sudo` and `env`
 * in front are looked through. Anything else is the `generic` tool with no known image.
 * The image is read the way docker reads it (`image-ref.ts`: docker.io rules included).
 */
import path from 'node:path';
import { ImageRefError, parseImageRef, type ImageRef } from '../image-ref.js';

/** The tools gcrwatch has a parser for. */
export type PushTool = 'docker' | 'podman' | 'buildah' | 'skopeo' | 'crane' | 'generic';

/** A wrapped command, understood. */
export interface PushCommand {
  argv: string[];
  tool: PushTool;
  /** The destination image as written on the command line. */
  imageText?: string;
  /** The destination, parsed; absent when unknown or not a registry destination. */
  image?: ImageRef;
}

/** Options of each tool that take a separate value (`--opt value`), so values are not taken for operands. */
const VALUE_OPTIONS: Record<PushTool, ReadonlySet<string>> = {
  docker: new Set([
    '--config',
    '-c',
    '--context',
    '-H',
    '--host',
    '-l',
    '--log-level',
    '--tlscacert',
    '--tlscert',
    '--tlskey',
    '--platform',
    '-t',
    '--tag',
    '-f',
    '--file',
    '--builder',
    '--progress',
    '--build-arg',
    '--target',
    '--cache-from',
    '--cache-to',
    '--secret',
    '--ssh',
    '--label',
    '--output',
    '-o',
  ]),
  podman: new Set([
    '--root',
    '--runroot',
    '--storage-driver',
    '--storage-opt',
    '--cgroup-manager',
    '--events-backend',
    '--log-level',
    '--url',
    '--connection',
    '-c',
    '--identity',
    '--tmpdir',
    '--runtime',
    '--conmon',
    '--network-cmd-path',
    '--hooks-dir',
    '--module',
    '--ssh',
    '--volumepath',
    '--imagestore',
    '--authfile',
    '--cert-dir',
    '--creds',
    '--digestfile',
    '--format',
    '-f',
    '--sign-by',
    '--sign-by-sigstore',
    '--sign-by-sigstore-private-key',
    '--sign-passphrase-file',
    '--signature-policy',
    '--compression-format',
    '--compression-level',
    '--encryption-key',
    '--retry',
    '--retry-delay',
  ]),
  buildah: new Set([
    '--root',
    '--runroot',
    '--storage-driver',
    '--storage-opt',
    '--registries-conf',
    '--authfile',
    '--cert-dir',
    '--creds',
    '--digestfile',
    '--format',
    '-f',
    '--sign-by',
    '--signature-policy',
    '--compression-format',
    '--encryption-key',
    '--retry',
    '--retry-delay',
  ]),
  skopeo: new Set(),
  crane: new Set(['--platform', '--image-refs']),
  generic: new Set(),
};

const WRAPPERS = new Set(['sudo', 'env', 'command', 'time', 'nice', 'nohup']);
const SUDO_VALUE_OPTIONS = new Set(['-u', '--user', '-g', '--group', '-C', '-D', '-h', '-p', '-r', '-t', '-U']);

/** Drop `sudo [opts]`, `env [VAR=val...]` and similar prefixes. */
function unwrap(argv: string[]): string[] {
  let rest = argv;
  while (rest.length && WRAPPERS.has(path.basename(rest[0]!))) {
    let i = 1;
    while (i < rest.length && (rest[i]!.startsWith('-') || /^[A-Za-z_][A-Za-z0-9_]*=/.test(rest[i]!))) {
      i += SUDO_VALUE_OPTIONS.has(rest[i]!) ? 2 : 1;
    }
    rest = rest.slice(i);
  }
  return rest;
}

/** Operands of `args` (not options, nor the values of options that take one). */
function operands(args: string[], tool: PushTool): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      out.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith('-') && a.length > 1) {
      if (!a.includes('=') && VALUE_OPTIONS[tool].has(a)) i++;
      continue;
    }
    out.push(a);
  }
  return out;
}

/** The value of `-t/--tag` in a build command (`--tag=x`, `-t x`). */
function tagOption(args: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const eq = /^(?:--tag|-t)=(.+)$/.exec(a);
    if (eq) return eq[1];
    if ((a === '-t' || a === '--tag') && args[i + 1]) return args[i + 1];
  }
  return undefined;
}

function toolOf(program: string): PushTool {
  const name = path.basename(program).replace(/\.exe$/i, '');
  return (['docker', 'podman', 'buildah', 'skopeo', 'crane'] as const).find((t) => name === t) ?? 'generic';
}

/** The destination image text of a tool's command line (after the tool's name). */
function destination(tool: PushTool, args: string[]): string | undefined {
  const ops = operands(args, tool);
  switch (tool) {
    case 'docker': {
      if (ops.includes('buildx') || ops[0] === 'build') return args.includes('--push') ? tagOption(args) : undefined;
      const at = ops.indexOf('push');
      return at >= 0 ? ops[at + 1] : undefined;
    }
    case 'podman':
    case 'buildah': {
      const at = ops.indexOf('push');
      if (at < 0) return undefined;
      return ops[at + 2] ?? ops[at + 1];
    }
    case 'crane': {
      const at = ops.findIndex((o) => o === 'push' || o === 'copy' || o === 'cp');
      return at >= 0 ? ops[at + 2] : undefined;
    }
    case 'skopeo':
      return [...args].reverse().find((a) => a.startsWith('docker://'));
    default:
      return undefined;
  }
}

/** Understand a wrapped command line. Never throws: an unreadable image is just unknown. */
export function describePushCommand(argv: string[]): PushCommand {
  const inner = unwrap(argv);
  const tool = inner.length ? toolOf(inner[0]!) : 'generic';
  const out: PushCommand = { argv, tool };
  const text = destination(tool, inner.slice(1));
  if (!text) return out;
  out.imageText = text;
  const transport = /^(oci|oci-archive|dir|docker-archive|docker-daemon|containers-storage|ostree|sif|tarball):/.exec(
    text,
  );
  // A podman/skopeo destination with a transport other than docker:// is not a registry.
  if (transport && !text.startsWith('docker://')) return out;
  try {
    out.image = parseImageRef(text.replace(/^docker:\/\//, ''));
  } catch (err) {
    if (!(err instanceof ImageRefError)) throw err;
  }
  return out;
}
