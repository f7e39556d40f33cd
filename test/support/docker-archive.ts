/**
 * Builds a `docker load` archive (the `docker save` layout: manifest.json, an image config,
 * one tar per layer) with layers of random bytes of known sizes. The simulated world has no
 * `docker build` and can pull nothing, so this is how tests and benchmarks get multi-layer
 * images: `docker load -i archive.tar`. Random bytes do not compress, so a layer of N bytes
 * uploads about N bytes.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

/** One file of a tar stream: a ustar header block for `name` of `size` bytes. */
function tarHeader(name: string, size: number): Buffer {
  const h = Buffer.alloc(512, 0);
  h.write(name, 0, 100, 'utf8');
  h.write('0000644\0', 100, 'ascii');
  h.write('0000000\0', 108, 'ascii');
  h.write('0000000\0', 116, 'ascii');
  h.write(size.toString(8).padStart(11, '0') + '\0', 124, 'ascii');
  h.write('00000000000\0', 136, 'ascii');
  h.write('        ', 148, 'ascii');
  h.write('0', 156, 'ascii');
  h.write('ustar\0', 257, 'ascii');
  h.write('00', 263, 'ascii');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'ascii');
  return h;
}

function padding(size: number): Buffer {
  return Buffer.alloc((512 - (size % 512)) % 512, 0);
}

/** A tar (as one buffer) holding `files`. */
export function tarOf(files: Array<{ name: string; data: Buffer }>): Buffer {
  const parts: Buffer[] = [];
  for (const f of files) parts.push(tarHeader(f.name, f.data.length), f.data, padding(f.data.length));
  parts.push(Buffer.alloc(1024, 0));
  return Buffer.concat(parts);
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/**
 * Write a `docker load` archive to `file` tagged `tag`, with one layer per entry of
 * `layerSizes` (bytes of random content each). Layers are built one at a time, so memory
 * stays near the largest layer.
 */
export async function writeDockerArchive(
  file: string,
  tag: string,
  layerSizes: number[],
): Promise<{ diffIds: string[] }> {
  const out = createWriteStream(file);
  const write = async (b: Buffer) => {
    if (!out.write(b)) await once(out, 'drain');
  };
  const diffIds: string[] = [];
  const layerPaths: string[] = [];
  for (const [i, size] of layerSizes.entries()) {
    const layer = tarOf([{ name: `layer-${i}.bin`, data: randomBytes(size) }]);
    const id = sha256(layer);
    diffIds.push(`sha256:${id}`);
    layerPaths.push(`${id}/layer.tar`);
    await write(tarHeader(`${id}/layer.tar`, layer.length));
    await write(layer);
    await write(padding(layer.length));
  }
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      created: new Date(0).toISOString(),
      config: {},
      rootfs: { type: 'layers', diff_ids: diffIds },
      history: layerSizes.map((s, i) => ({
        created: new Date(0).toISOString(),
        created_by: `layer ${i}: ${s} random bytes`,
      })),
    }),
  );
  const configName = `${sha256(config)}.json`;
  const manifest = Buffer.from(JSON.stringify([{ Config: configName, RepoTags: [tag], Layers: layerPaths }]));
  for (const f of [
    { name: configName, data: config },
    { name: 'manifest.json', data: manifest },
  ]) {
    await write(tarHeader(f.name, f.data.length));
    await write(f.data);
    await write(padding(f.data.length));
  }
  await write(Buffer.alloc(1024, 0));
  out.end();
  await once(out, 'finish');
  return { diffIds };
}
