/**
 * The parts of the screen that depend only on the store's snapshot, worked out once per
 * snapshot. The snapshot is immutable, so the view may point into it freely; parts that
 * take work (the rows, the log lines) are cached on the snapshot's own objects, which are
 * the same objects for as long as they do not change.
 */
import type { AuthEvent, DiagnosisEvent, SessionEvent } from '../core/events.js';
import type { PushSnapshot, StoreSnapshot } from '../core/store.js';
import { intervalOf } from './chart-model.js';
import { endpointRows, type EndpointRow } from './endpoint-rows.js';
import { logLines, type LogLine } from './event-lines.js';
import { rankedFindings } from './finding-lines.js';
import type { HeaderInfo, ReplayInfo } from './Header.js';
import { pushStatus } from './push-lines.js';
import { verdictOf } from './verdict.js';

/** The view of one snapshot. */
export interface DashboardView {
  rows: EndpointRow[];
  header: HeaderInfo;
  log: readonly LogLine[];
  auth: AuthEvent[];
  authFindings: DiagnosisEvent[];
  /** Every finding that holds, best first. */
  findings: DiagnosisEvent[];
  push?: PushSnapshot;
  pushTarget?: string;
  pushHost?: string;
  /** Some target's last round went through a proxy (the PROXY phase is worth showing). */
  proxied: boolean;
}

const logCache = new WeakMap<readonly SessionEvent[], readonly LogLine[]>();

function cachedLog(recent: readonly SessionEvent[]): readonly LogLine[] {
  let lines = logCache.get(recent);
  if (!lines) {
    lines = logLines(recent);
    logCache.set(recent, lines);
  }
  return lines;
}

/** The view of `snapshot`. */
export function dashboardView(
  snapshot: StoreSnapshot,
  version: string,
  logPath: string | null | undefined,
  replay?: ReplayInfo,
): DashboardView {
  const targets = [...snapshot.targets.values()];
  const pushTarget = targets.find((t) => t.info.pushTarget);
  const findings = rankedFindings(snapshot.findings);
  const header: HeaderInfo = {
    version,
    demo: Boolean(snapshot.start?.demo),
    up: targets.filter((t) => t.last?.ok).length,
    total: targets.length,
    intervalMs: intervalOf(snapshot),
    startedAt: snapshot.startedAt,
    endedAt: snapshot.end ? Date.parse(snapshot.end.t) : undefined,
    logPath,
    verdict: verdictOf(snapshot),
    replay,
  };
  if (snapshot.push) {
    const end = snapshot.push.end;
    header.push = {
      text: `push ${pushStatus(snapshot.push)}`,
      tone: !end ? 'accent' : end.exitCode === 0 ? 'ok' : 'fail',
    };
  }
  return {
    rows: endpointRows(snapshot),
    header,
    log: cachedLog(snapshot.recent),
    auth: [...snapshot.auth.values()],
    authFindings: findings.filter((f) => f.category === 'auth'),
    findings,
    push: snapshot.push,
    pushTarget: pushTarget?.info.id,
    pushHost: pushTarget?.info.host ?? snapshot.push?.start.registry,
    proxied: targets.some((t) => t.last?.details.proxy !== undefined),
  };
}

/** The selected endpoint: the user's choice while it exists, else the push target, else the first. */
export function resolveSelected(
  chosen: string | undefined,
  ids: readonly string[],
  pushTarget: string | undefined,
): string | undefined {
  if (chosen !== undefined && ids.includes(chosen)) return chosen;
  return pushTarget ?? ids[0];
}
