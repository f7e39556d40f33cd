/**
 * The fallback for any other command (a `make push`, a CI script, `gcloud builds`...): such
 * commands usually run docker inside, so docker's layer, retry and digest lines are
 * recognised, and a known error text counts wherever it appears. Lines that only look like
 * failures (`Error: ...`, `level=fatal`) are errors too, classified as `push.error` when the
 * text is not one gcrwatch knows.
 */
import { errorFrom, type ParserState, type PushEventDraft, type PushLine } from '../parser-state.js';
import { parseDockerStatusLine } from './docker.js';

const FAILURE_LINE = /^(error|fatal)\b[:\s]|^Error response from daemon:|\blevel=(error|fatal)\b|^(ERRO|FATA)\[\d+\]/i;

/** Parse one line of an unknown command's output. */
export function parseGenericLine(line: PushLine, state: ParserState): PushEventDraft[] {
  const status = parseDockerStatusLine(line.text, state);
  if (status) return status;
  return errorFrom(state, line.text, FAILURE_LINE.test(line.text));
}
