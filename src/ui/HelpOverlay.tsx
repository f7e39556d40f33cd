/** The help (`?`): the keys, the views, what the marker glyphs and table marks mean, where the log is. */
import type { PanelLine } from './panel-line.js';
import { MIN_SIZE } from './layout.js';
import { MARKER_LEGEND } from './marker-row.js';
import { FAILED_MARK } from './time-axis.js';
import { KEY_HELP } from './ui-state.js';

/** The help's lines, every one of them (the overlay wraps and scrolls them). */
export function helpLines(logPath?: string | null): PanelLine[] {
  const line = (text: string, tone: PanelLine['tone'] = 'plain'): PanelLine => ({ text, tone });
  return [
    line('keys', 'title'),
    ...KEY_HELP.map(([k, what]) => line(`  ${k.padEnd(8)}  ${what}`)),
    line('marker row under the chart (one column per probe round of the selected endpoint)', 'title'),
    ...MARKER_LEGEND.map(([g, what]) => line(`  ${g.padEnd(8)}  ${what.replace(/^cred /, 'credential ')}`)),
    line(`  ${FAILED_MARK.padEnd(8)}  on the time axis: that round failed`),
    line('table', 'title'),
    line('  *         the push target; > the selected endpoint'),
    line('  l/p95     the last round and the 95th percentile of the recent rounds, in ms; × the phase failed'),
    line(
      '  st        OK, WARN (loss, registry errors, interception, certificate near expiry), FAIL (last round failed)',
    ),
    line('  loss      rounds with no answer at all; an answer like 503 is an error, not loss'),
    line('  tls/cert  TLS version and days left on the certificate; MITM: TLS interception suspected'),
    line(
      `terminal smaller than ${MIN_SIZE.columns}x${MIN_SIZE.rows}: one line says so; probing and logging go on`,
      'title',
    ),
    line(logPath ? `session log: ${logPath}` : 'no session log (--no-log)', 'title'),
  ];
}
