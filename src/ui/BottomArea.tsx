/** The bottom area: the push and credential panels, and the event log beside them or under them. */
import { Box } from 'ink';
import type { PanelLine } from './panel-line.js';
import type { DashboardView } from './dashboard-view.js';
import { EventLog } from './EventLog.js';
import type { BottomPlan } from './layout.js';
import { Panel } from './Panel.js';
import { pushLines, pushTitle } from './push-lines.js';

/** Props. `credentials` are the panel's lines, worked out by the dashboard (the layout needs their count). */
export interface BottomAreaProps {
  view: DashboardView;
  credentials: readonly PanelLine[];
  now: number;
  plan: BottomPlan;
  width: number;
  color: boolean;
}

/** The area. */
export function BottomArea({ view, credentials, now, plan, width, color }: BottomAreaProps) {
  if (plan.lines <= 0) return null;
  const push =
    plan.pushLines >= 2 && view.push ? (
      <Panel
        key="push"
        title={pushTitle(view.push, plan.panelWidth)}
        lines={pushLines(view.push, now, plan.pushLines - 1, plan.panelWidth)}
        height={plan.pushLines}
        width={plan.panelWidth}
        color={color}
      />
    ) : null;
  const cred =
    plan.credentialLines >= 2 ? (
      <Panel
        key="cred"
        title="credentials"
        lines={credentials}
        height={plan.credentialLines}
        width={plan.panelWidth}
        color={color}
      />
    ) : null;
  const log = <EventLog lines={view.log} height={plan.logLines} width={plan.logWidth} color={color} />;
  if (plan.sideBySide) {
    return (
      <Box flexDirection="row" height={plan.lines} width={width}>
        <Box width={plan.logWidth}>{log}</Box>
        <Box width={1} />
        <Box flexDirection="column" width={plan.panelWidth}>
          {push}
          {cred}
        </Box>
      </Box>
    );
  }
  return (
    <Box flexDirection="column" height={plan.lines} width={width}>
      {push}
      {cred}
      {log}
    </Box>
  );
}
