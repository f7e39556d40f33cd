/** The bottom area: the event log, with the credential and push panels beside it or above it. */
import { Box } from 'ink';
import { credentialLines } from './credential-lines.js';
import type { DashboardView } from './dashboard-view.js';
import { EventLog } from './EventLog.js';
import { planBottom } from './layout.js';
import { Panel } from './Panel.js';
import { pushLines } from './push-lines.js';

/** Props. */
export interface BottomAreaProps {
  view: DashboardView;
  now: number;
  height: number;
  width: number;
  color: boolean;
}

/** The area. */
export function BottomArea({ view, now, height, width, color }: BottomAreaProps) {
  if (height <= 0) return null;
  const plan = planBottom(height, width, {
    push: Boolean(view.push),
    credentials: view.auth.length > 0 || view.authFindings.length > 0,
  });
  const panels = [
    plan.credentialLines > 0 ? (
      <Panel
        key="cred"
        title="credentials"
        lines={credentialLines(view.auth, view.authFindings, now)}
        empty="no credential check yet"
        height={plan.credentialLines}
        width={plan.panelWidth}
        color={color}
      />
    ) : null,
    plan.pushLines > 0 && view.push ? (
      <Panel
        key="push"
        title="push"
        lines={pushLines(view.push, now, plan.pushLines - 1, plan.panelWidth)}
        height={plan.pushLines}
        width={plan.panelWidth}
        color={color}
      />
    ) : null,
  ];
  const log = <EventLog lines={view.log} height={plan.logLines} width={plan.logWidth} color={color} />;
  if (plan.sideBySide) {
    return (
      <Box flexDirection="row" height={height} width={width}>
        {log}
        <Box width={1} />
        <Box flexDirection="column" width={plan.panelWidth}>
          {panels}
        </Box>
      </Box>
    );
  }
  return (
    <Box flexDirection="column" height={height} width={width}>
      {panels}
      {log}
    </Box>
  );
}
