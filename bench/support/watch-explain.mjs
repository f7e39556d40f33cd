/**
 * Why a target of the watch-cost benchmark was missed, in words made from the run's own
 * measurements: the side-by-side CPU, the profile, and the parts measured alone.
 */

/** The explanations for `finish`, one paragraph per missed target. */
export function explain({
  results,
  perProbeMs,
  inkFloor,
  frames,
  framesInWindow,
  floorRatio,
  profiles,
  parts,
  allocated,
}) {
  const ms = (r) => `${perProbeMs(r).toFixed(2)} ms`;
  const why = [];
  if (results.plain.share > 0.01) {
    why.push(
      `The 1 % budget is 1 ms of CPU per probe at 10 probes a second. Every probe is a cold, verified TLS handshake by design (issue 2: no resumption, no keep-alive): blackbox_exporter, doing the same in Go, used ${ms(results.blackbox)} per probe (${(100 * results.blackbox.share).toFixed(2)} % of a core) in the same window, and a bare Node.js script that does nothing but getaddrinfo, connect, the handshake and one GET used ${ms(results.floor)} (${(100 * results.floor.share).toFixed(2)} %). No prober that measures a fresh handshake every second for 10 hosts fits in 1 % of one of these cores; the target is not reachable here by any of the three.`,
    );
  }
  if (floorRatio.value > floorRatio.target.value)
    why.push(floorGap(results, perProbeMs, floorRatio, profiles, parts, allocated));
  const drawing = results.tui ? results.tui.share - results.plain.share : 0;
  if (results.tui && drawing > 0.015) why.push(drawingGap(results, drawing, frames, framesInWindow));
  if (results.tui && results.tui.maxRssMb > 130) {
    const floor = inkFloor
      ? `a Node.js process that has only imported ink and react holds ${inkFloor.ink.toFixed(1)} MB after a full GC against ${inkFloor.empty.toFixed(1)} MB empty (yoga-layout's WebAssembly memory is ~20 MB of it); `
      : '';
    why.push(
      `TUI RSS ${results.tui.maxRssMb.toFixed(1)} MB against ${results.plain.maxRssMb.toFixed(1)} MB headless: ${floor}the rest is V8's heap between collections of the frames' garbage (the JS heap in use after a forced GC stays flat for a whole session). Meeting 130 MB would need a renderer lighter than Ink, the library the project chose; not done.`,
    );
  }
  return why;
}

function floorGap(results, perProbeMs, floorRatio, profiles, parts, allocated) {
  const [plain, floor] = [perProbeMs(results.plain), perProbeMs(results.floor)];
  const measured = parts?.length
    ? ` Measured alone, part by part (table above): ${parts.map((p) => `${p.part}: ${(p.us / 1000).toFixed(2)} ms`).join('; ')}.`
    : '';
  const part = (variant) => parts?.find((p) => p.part.startsWith(variant));
  const [round, session] = [part('a whole round'), part('the session after a round')];
  let unaccounted = '';
  if (round && session) {
    const alone = (round.us + session.us) / 1000;
    // The floor measured both ways says how much dearer the same code is in the window.
    const loopFloor = round.baseUs / 1000;
    const scale = floor / loopFloor;
    unaccounted =
      ` Together, a round and its session measured alone come to ${alone.toFixed(2)} ms above the floor, of the window's ${(plain - floor).toFixed(2)} ms.` +
      ` The floor itself costs ${floor.toFixed(2)} ms a probe in the window against ${loopFloor.toFixed(2)} ms in the loop of the parts (${scale.toFixed(1)}×: one probe at a time among other processes, its caches cold, and the world's getaddrinfo);` +
      ` scaled alike, a round and its session come to ${(alone * scale).toFixed(2)} ms.`;
  }
  const kib = (v) => `${(allocated[v] / 1024).toFixed(1)} KiB`;
  const heap = allocated
    ? ` JavaScript heap allocated per probe: the floor ${kib('floor')}, a round ${kib('round')}, a round with its session ${kib('session')}.`
    : '';
  const top = profiles?.find((p) => p.name === 'this build')?.top;
  const gc = top?.self.find((i) => i.label.startsWith('(garbage collector)'));
  const collected = gc ? ` The garbage collector took ${gc.pct.toFixed(1)} % of this build's busy time.` : '';
  const own = top?.own.slice(0, 6) ?? [];
  const profiled = own.length
    ? ` In this build's profile, gcrwatch's heaviest functions with what they call: ${own.map((i) => `${i.label.split(' ')[0]} ${i.pct.toFixed(1)} %`).join(', ')}.`
    : '';
  return (
    `gcrwatch --plain used ${floorRatio.value.toFixed(2)} times the floor's CPU (${plain.toFixed(2)} ms against ${floor.toFixed(2)} ms per probe over the whole window): ${(plain - floor).toFixed(2)} ms of its own work per probe, against a budget of ${(0.1 * floor).toFixed(2)} ms.${measured}${unaccounted}${heap}${collected}${profiled} ` +
    "The profiles' largest item, TLSSocket.getPeerCertificate, is Node's own verification converting the whole chain for its name check in every handshake, the floor's as much as gcrwatch's: Node makes it whenever a chain verifies, and no public API hands it to the prober without the TLS bypass gcrwatch never allows (its own checkServerIdentity, or rejectUnauthorized false to read the chain afterwards; test/core/no-tls-bypass.test.ts). " +
    'What remains is what gcrwatch does with a round and what the public APIs cost: GET /v2/ through node:https (the request, its parser and streams; undici, the other public client, costs as much and 70-90 ms more at start-up), reading the leaf before Node verifies it (the only way to report the certificate of a rejected server), a phase contract with its own timing and cancellation, and every round made into an event that goes through redaction, the store and its statistics, the diagnosis rules, the session log and a printed line (two system calls per round that the floor does not make), with the garbage all of it leaves. ' +
    "Removed from every round: the undici Client and its private files, the replaced socket.write and getPeerCertificate, the TLS shutdown (close_notify) after each answer, the per-header checks of a request whose headers are gcrwatch's own, the certificate description built and deep-copied per event (one frozen object per distinct handshake, passed through redaction by reference), the WWW-Authenticate challenge parsed every round, and three diagnosis rules re-evaluated at every healthy probe."
  );
}

function drawingGap(results, drawing, frames, framesInWindow) {
  const drawn = framesInWindow(frames, results.tui.wallSeconds);
  const perFrame = drawn ? (1000 * drawing * results.tui.wallSeconds) / drawn : undefined;
  const pace = drawn
    ? `It drew ${(drawn / results.tui.wallSeconds).toFixed(2)} frames a second, so a frame cost ${perFrame.toFixed(1)} ms of CPU in this session, Ink's own layout and output ${frames.inkMs.p50.toFixed(1)} ms of it (median, wall time).`
    : 'Its frame count is missing (GCRWATCH_FRAME_STATS was not written).';
  return `Drawing cost ${(100 * drawing).toFixed(2)} % of a core above headless. ${pace} An Ink frame redraws the whole screen whatever changed: its cost is the screen's characters (bench/tui-render.mjs; node --cpu-prof puts most of a frame in Ink tokenizing the styled text, @alcalzone/ansi-tokenize, and string-width). The dashboard spaces frames out (up to twice the refresh interval) when one a second would cost more than 1 % of a core; what is left is Ink's per-character work.`;
}
