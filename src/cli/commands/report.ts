/**
 * `gcrwatch report [SESSION] [--format md|html|json|csv] [-o FILE]`: a report of a saved
 * session log (the latest when none is named), for a ticket (Markdown), a browser (HTML with
 * charts), a program (JSON) or a spreadsheet (CSV, one row per probe).
 */
import type { ReportFlags } from '../report/run-report.js';
import type { RegisterCommand } from './index.js';

const EXAMPLES = `
Examples:
  gcrwatch report                                  the latest session, Markdown on stdout
  gcrwatch report 2 -o report.html                 the session before it, one page with latency charts
  gcrwatch report session.ndjson --format csv      a log file, one row per probe round

SESSION is a log file, or a number or name from \`gcrwatch sessions\`. Session logs are
under $XDG_STATE_HOME/gcrwatch/sessions/ (or ~/.local/state/...).`;

/** Register `report`. */
export const registerReport: RegisterCommand = (program, ctx) => {
  program
    .command('report')
    .description('report on a saved session log: verdict, findings, statistics, push timeline')
    .argument(
      '[session]',
      'the session log: a file, or a number or name from `gcrwatch sessions` (default: the latest)',
    )
    .option('--last', 'the latest session (the default when no session is named)')
    .option('-f, --format <format>', 'md, html, json or csv (default: from the -o extension, else md)')
    .option('-o, --output <file>', 'write the report to this file instead of stdout (- is stdout)')
    .addHelpText('after', EXAMPLES)
    .action(async (file: string | undefined, flags: ReportFlags) => {
      const { runReport } = await import('../report/run-report.js');
      ctx.setResult(runReport(file, flags, ctx.io));
    });
};
