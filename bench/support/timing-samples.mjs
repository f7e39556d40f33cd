/**
 * Samples for the timing benchmark: a long-running `gcrwatch --json` in a world, and after
 * each of its rounds the other tools (curl, dig) run once each, so that the tools alternate
 * and see the same conditions. Phases are named as gcrwatch names them.
 */

/** The phases compared, in gcrwatch's names. */
export const PHASES = ['dns', 'connect', 'tls', 'ttfb', 'transfer', 'total'];

/**
 * curl's `-w` times, split into phases as httpstat does. A curl process first makes one
 * transfer to another host (`warmUrl`), then the measured one to `url`, on a new connection
 * with a full handshake (`--no-sessionid`: no TLS resumption) and a real lookup (the name is
 * not in curl's DNS cache): a process's first transfer also pays the set-up of OpenSSL and of
 * the resolver (~1.3 ms and more here), as gcrwatch's first round pays its own and is not kept.
 */
export const curl = {
  /**
   * `quietMs`, when given, spaces the two transfers by about that long (curl's --rate), so the
   * measured one comes after the same quiet as a gcrwatch round after its interval.
   */
  args(warmUrl, url, caFile, quietMs) {
    const one = (u) => [
      '-s',
      '-o',
      '/dev/null',
      '--http1.1',
      '--no-sessionid',
      '-H',
      'Connection: close',
      '--cacert',
      caFile,
      '-w',
      `${FORMAT}\n`,
      u,
    ];
    const rate = quietMs ? ['--rate', `${Math.round(3_600_000 / quietMs)}/h`] : [];
    return [...rate, ...one(warmUrl), '--next', ...one(url)];
  },
  /** Phases in ms of the measured transfer of a finished run; throws when curl failed. */
  parse(run) {
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) =>
        l
          .trim()
          .split(/\s+/)
          .map((v) => Number(v) * 1000),
      );
    if (
      run.code !== 0 ||
      lines.length !== 2 ||
      lines.some((t) => t.length !== 5 || t.some((v) => !Number.isFinite(v)))
    ) {
      throw new Error(`curl failed (${run.code}): ${run.stderr || run.stdout}`);
    }
    const [lookup, connect, app, start, total] = lines[1];
    return {
      dns: lookup,
      connect: connect - lookup,
      tls: app - connect,
      ttfb: start - app,
      transfer: total - start,
      total,
    };
  },
};

const FORMAT = '%{time_namelookup} %{time_connect} %{time_appconnect} %{time_starttransfer} %{time_total}';

/**
 * dig's `Query time: N msec` (whole milliseconds, cut down) of an A and an AAAA query, the
 * larger of the two: gcrwatch asks both at once and has its answer when both have come.
 * Throws when a query failed.
 */
export function digMs(run) {
  const times = [...run.stdout.matchAll(/Query time: (\d+) msec/g)].map((m) => Number(m[1]));
  if (run.code !== 0 || times.length !== 2) throw new Error(`dig failed (${run.code}): ${run.stderr || run.stdout}`);
  return Math.max(...times);
}

/** gcrwatch's phases of one probe event, and its --dns-server answer time (`side`) when there is one. */
function gcrwatchSample(event) {
  if (!event.ok) throw new Error(`gcrwatch round ${event.round} failed: ${event.error?.code} ${event.error?.message}`);
  const side = event.details.dns?.find((d) => d.resolver !== 'system');
  return { ...Object.fromEntries(PHASES.map((p) => [p, event.phases[p]])), ...(side ? { side: side.ms } : {}) };
}

/**
 * Run `gcrwatch ARGS` in `world` and, after each of its probe events, each of `others`
 * (name -> async function returning a sample) in turn. The first round and the first run of
 * each other tool are a warm-up and are not kept. Resolves with `{ gcrwatch: [...], name: [...] }`.
 */
export function sampleAlternating(world, gcrwatchArgs, others, cwd) {
  const out = { gcrwatch: [], ...Object.fromEntries(Object.keys(others).map((k) => [k, []])) };
  return new Promise((resolve, reject) => {
    const child = world.spawn(process.execPath, gcrwatchArgs, { cwd });
    let queue = Promise.resolve();
    let rest = '';
    let failed;
    let rounds = 0;
    const fail = (error) => {
      failed ??= error;
      child.kill('SIGTERM');
    };
    child.stderr.resume();
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop();
      for (const line of lines) {
        if (!line.includes('"type":"probe"')) continue;
        const warmUp = rounds++ === 0;
        queue = queue.then(async () => {
          if (failed) return;
          try {
            const sample = gcrwatchSample(JSON.parse(line));
            const theirs = {};
            for (const [name, run] of Object.entries(others)) theirs[name] = await run();
            if (warmUp) return;
            out.gcrwatch.push(sample);
            for (const [name, value] of Object.entries(theirs)) out[name].push(value);
          } catch (error) {
            fail(error);
          }
        });
      }
    });
    child.once('exit', () => queue.then(() => (failed ? reject(failed) : resolve(out))));
  });
}
