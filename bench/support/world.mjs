/**
 * The simulated world of test/peers/world.ts for benchmarks (a network namespace with its own
 * resolver on 127.0.0.53, the test CA, fault proxies in front of each host, registry fronts),
 * loaded from the TypeScript harness with import-ts.mjs. `openWorld` also makes sure the world
 * is torn down when the benchmark is interrupted (Ctrl-C, SIGTERM) or fails.
 */
import { transpileProject } from './import-ts.mjs';

/** Registry names for `count` targets: gcrwatch's defaults first, then regional Artifact Registry hosts. */
export function registryNames(count) {
  const names = [
    'gcr.io',
    'us.gcr.io',
    'eu.gcr.io',
    'asia.gcr.io',
    'us-docker.pkg.dev',
    'europe-docker.pkg.dev',
    'asia-docker.pkg.dev',
    'europe-west1-docker.pkg.dev',
    'us-central1-docker.pkg.dev',
    'asia-east1-docker.pkg.dev',
  ];
  for (let i = names.length; i < count; i++) names.push(`r${i}-docker.pkg.dev`);
  return names.slice(0, count);
}

/**
 * Build a world whose `names` are registry hosts behind their own fault proxies, all in front of
 * one shared registry front (no docker-registry needed), plus the token and OAuth hosts a world
 * requires. Returns `{ world, close }`; `close` is idempotent.
 */
export async function openWorld(names) {
  const harness = await transpileProject(['src', 'test/peers']);
  const { createWorld } = await harness.load('test/peers/world.ts');
  const hosts = [
    ...names.map((name) => ({ name, serve: 'registry' })),
    { name: 'auth.gcr.io', serve: 'token' },
    { name: 'oauth2.googleapis.com', serve: 'oauth' },
  ];
  let world;
  const close = async () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await world?.close();
    await harness.dispose();
  };
  const onSignal = () => void close().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    world = await createWorld({ hosts, registry: 'front' });
  } catch (error) {
    await close();
    throw error;
  }
  return { world, close };
}
