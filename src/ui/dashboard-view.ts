/**
 * The parts of the screen that depend only on the store's state, copied out into plain
 * data once per store change. The store mutates its state in place, so this copy is what
 * keeps a paused display still while probing goes on.
 */
import type { AuthEvent, DiagnosisEvent } from '../core/events.js';
import type { SessionState } from '../core/store.js';
import { intervalOf } from './chart-model.js';
import { endpointRows, type EndpointRow } from './endpoint-rows.js';
import { logLines, type LogLine } from './event-lines.js';
import type { HeaderInfo } from './Header.js';
import { pushView, type PushView } from './push-lines.js';
import { verdictOf } from './verdict.js';

/** The copied view. */
export interface DashboardView {
  rows: EndpointRow[];
  header: HeaderInfo;
  log: LogLine[];
  auth: AuthEvent[];
  authFindings: DiagnosisEvent[];
  push?: PushView;
  pushTarget?: string;
  /** Some target's last round went through a proxy (the PROXY phase is worth showing). */
  proxied: boolean;
}

/** Copy the view out of `state`. */
export function dashboardView(state: SessionState, version: string, logPath: string | null | undefined): DashboardView {
  const rows = endpointRows(state);
  const targets = [...state.targets.values()];
  const view: DashboardView = {
    rows,
    header: {
      version,
      demo: Boolean(state.start?.demo),
      up: targets.filter((t) => t.last?.ok).length,
      total: targets.length,
      intervalMs: intervalOf(state),
      startedAt: state.startedAt,
      logPath,
      verdict: verdictOf(state),
    },
    log: logLines(state.recent.toArray()),
    auth: [...state.auth.values()],
    authFindings: [...state.findings.values()].filter((f) => f.category === 'auth'),
    proxied: targets.some((t) => t.last?.details.proxy !== undefined),
  };
  if (state.push) view.push = pushView(state.push);
  const pushTarget = targets.find((t) => t.info.pushTarget);
  if (pushTarget) view.pushTarget = pushTarget.info.id;
  return view;
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
