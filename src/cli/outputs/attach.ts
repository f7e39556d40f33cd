/**
 * Chooses and attaches the output of a session: the TUI on a terminal, plain lines, or
 * NDJSON. Returns a promise that resolves when the output wants the session to end (the
 * reader of stdout went away, or the user quit the TUI).
 */
import type { Session } from '../../core/session.js';
import type { MonitorConfig } from '../monitor-config.js';
import { FindingsPlainOutput } from './findings-plain.js';
import { JsonOutput } from './json.js';
import { StreamLineWriter } from './line-writer.js';
import { PlainOutput } from './plain.js';

/** The process streams and environment a command uses. */
export interface CliIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number; rows?: number };
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdoutIsTTY: boolean;
  env: NodeJS.ProcessEnv;
}

/** An attached output. */
export interface AttachedOutput {
  quit: Promise<void>;
  close(): Promise<void>;
}

/** The real process streams. */
export function processIO(): CliIO {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, stdoutIsTTY: Boolean(process.stdout.isTTY), env: process.env };
}

/** Attach the output `config.output` asks for. */
export async function attachOutput(session: Session, config: MonitorConfig, io: CliIO): Promise<AttachedOutput> {
  let quit!: () => void;
  const quitting = new Promise<void>((r) => { quit = r; });
  const out = new StreamLineWriter(io.stdout as unknown as import('node:stream').Writable, quit);
  const err = new StreamLineWriter(io.stderr as unknown as import('node:stream').Writable);
  if (config.output === 'json') {
    session.attach(new JsonOutput(out));
  } else {
    // The TUI arrives with its own issue; until then a terminal gets plain lines too.
    session.attach(new PlainOutput(out, err));
    session.attach(new FindingsPlainOutput(out));
  }
  return { quit: quitting, close: async () => undefined };
}
