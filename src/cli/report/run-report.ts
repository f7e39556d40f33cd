/**
 * `gcrwatch report SESSION.ndjson`: read the log once, streaming, and write the report in
 * the chosen format to stdout or `-o FILE`. CSV rows are written as they are read; the
 * other formats are built from bounded data (`ReportCollector`), so memory does not grow
 * with the log. The reader's warnings (cut-off log, older schema, unknown event types) go
 * to stderr; a file that is not a session log is a usage error (exit 2).
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { basename, extname } from 'node:path';
import type { Writable } from 'node:stream';
import { LogReadError, readSessionLogBatches } from '../../core/log/ndjson-reader.js';
import { redactText, redactValue } from '../../core/log/redact.js';
import { ReportCollector } from '../../core/report/collect.js';
import { probeCsvHeader, probeCsvRow } from '../../core/report/csv.js';
import { renderHtml } from '../../core/report/html.js';
import { renderJson } from '../../core/report/json.js';
import { renderMarkdown } from '../../core/report/markdown.js';
import type { CliIO } from '../outputs/attach.js';
import { UsageError } from '../usage-error.js';

/** Report formats. */
export type ReportFormat = 'md' | 'html' | 'json' | 'csv';
const FORMATS: readonly ReportFormat[] = ['md', 'html', 'json', 'csv'];

/** The flags of `report`. */
export interface ReportFlags {
  format?: string;
  output?: string;
}

/** The format asked for, or the one the output file's extension names, else Markdown. */
export function chooseFormat(flags: ReportFlags): ReportFormat {
  if (flags.format !== undefined) {
    const f = flags.format.toLowerCase() === 'markdown' ? 'md' : flags.format.toLowerCase();
    if (!FORMATS.includes(f as ReportFormat))
      throw new UsageError(`--format: "${flags.format}" is not one of md, html, json, csv`);
    return f as ReportFormat;
  }
  const ext = flags.output ? extname(flags.output).slice(1).toLowerCase() : '';
  if (ext === 'htm' || ext === 'html') return 'html';
  if (ext === 'json' || ext === 'csv') return ext;
  return 'md';
}

/** Run the report; resolves with the exit code. */
export async function runReport(file: string, flags: ReportFlags, io: CliIO): Promise<number> {
  const format = chooseFormat(flags);
  const out = flags.output ? await openOutput(flags.output) : (io.stdout as unknown as Writable);
  // A log may come from an older gcrwatch or another machine: what is written is redacted again.
  const warn = (m: string) => io.stderr.write(`gcrwatch: warning: ${redactText(m)}\n`);
  try {
    if (format === 'csv') await writeCsv(file, out, warn);
    else await write(out, render(format, redactValue(await collect(file, warn))));
  } catch (err) {
    if (err instanceof LogReadError) throw new UsageError(err.message);
    if (isClosedPipe(err)) return 0;
    throw err;
  } finally {
    if (flags.output) await close(out as WriteStream);
  }
  if (flags.output) io.stderr.write(`gcrwatch: ${format} report written to ${flags.output}\n`);
  return 0;
}

async function collect(file: string, warn: (m: string) => void): Promise<ReturnType<ReportCollector['finish']>> {
  const collector = new ReportCollector(basename(file));
  for await (const batch of readSessionLogBatches(file, {
    onWarning: (m) => {
      warn(m);
      collector.warn(m);
    },
  })) {
    for (const event of batch) collector.add(event);
  }
  return collector.finish();
}

function render(format: Exclude<ReportFormat, 'csv'>, data: ReturnType<ReportCollector['finish']>): string {
  return format === 'html' ? renderHtml(data) : format === 'json' ? renderJson(data) : renderMarkdown(data);
}

async function writeCsv(file: string, out: Writable, warn: (m: string) => void): Promise<void> {
  // The header waits for the log's first event: a file that is not a session log must leave
  // nothing on stdout but its one error line.
  let batch: string[] | undefined;
  for await (const events of readSessionLogBatches(file, { onWarning: warn })) {
    if (!events.length) continue;
    batch ??= [probeCsvHeader()];
    for (const event of events) if (event.type === 'probe') batch.push(redactText(probeCsvRow(event)));
    if (batch.length >= 500) {
      await write(out, batch.join('\n') + '\n');
      batch = [];
    }
  }
  if (batch?.length) await write(out, batch.join('\n') + '\n');
}

/** Write and wait for the stream to take it (backpressure), failing on a stream error. */
function write(out: Writable, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    out.once('error', onError);
    const ok = out.write(text, (err) => {
      if (err) reject(err);
    });
    const done = () => {
      out.off('error', onError);
      resolve();
    };
    if (ok) done();
    else out.once('drain', done);
  });
}

function openOutput(path: string): Promise<WriteStream> {
  return new Promise((resolve, reject) => {
    // Reports hold what the log holds (identities, hosts): private like the log.
    const stream = createWriteStream(path, { mode: 0o600 });
    stream.once('open', () => resolve(stream));
    stream.once('error', (err: NodeJS.ErrnoException) =>
      reject(new UsageError(`-o ${path}: cannot write it (${err.code ?? err.message})`)),
    );
  });
}

function close(stream: WriteStream): Promise<void> {
  return new Promise((resolve) => stream.end(() => resolve()));
}

function isClosedPipe(err: unknown): boolean {
  return (
    (err as NodeJS.ErrnoException)?.code === 'EPIPE' || (err as NodeJS.ErrnoException)?.code === 'ERR_STREAM_DESTROYED'
  );
}
