/**
 * `gcrwatch report SESSION.ndjson [--format md|html|json|csv] [-o FILE]`: a report of a
 * saved session log, for a ticket (Markdown), a browser (HTML with charts), a program
 * (JSON) or a spreadsheet (CSV, one row per probe).
 */
import { runReport, type ReportFlags } from '../report/run-report.js';
import type { RegisterCommand } from './index.js';

const EXAMPLES = `
Examples:
  gcrwatch report session.ndjson                   Markdown on stdout, to paste into a ticket
  gcrwatch report session.ndjson -o report.html    one self-contained page with latency charts
  gcrwatch report session.ndjson --format csv      one row per probe round

Session logs are under $XDG_STATE_HOME/gcrwatch/sessions/ (or ~/.local/state/...).`;

/** Register `report`. */
export const registerReport: RegisterCommand = (program, ctx) => {
  program
    .command('report')
    .description('report on a saved session log: verdict, findings, statistics, push timeline')
    .argument('<session>', 'the session log (.ndjson) to read')
    .option('-f, --format <format>', 'md, html, json or csv (default: from the -o extension, else md)')
    .option('-o, --output <file>', 'write the report to this file instead of stdout')
    .addHelpText('after', EXAMPLES)
    .action((file: string, flags: ReportFlags) => ctx.setResult(runReport(file, flags, ctx.io)));
};
