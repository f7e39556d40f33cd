/**
 * The child's two output streams, read the same way live and in tests: bytes of stdout and
 * stderr -> clean lines (a splitter per stream) -> the tool's parser -> event drafts. No I/O:
 * the wrapper feeds it chunks as they arrive, tests feed it recorded transcripts.
 */
import { LineSplitter } from './line-splitter.js';
import { ParserState, type PushEventDraft, type PushLine, type PushLineParser } from './parser-state.js';

/** What one chunk produced, in output order: each line followed by the events it implies. */
export interface ReadResult {
  line: PushLine;
  events: PushEventDraft[];
}

/** Reads a push tool's stdout and stderr. */
export class PushOutputReader {
  readonly state = new ParserState();
  private readonly splitters = { stdout: new LineSplitter(), stderr: new LineSplitter() };

  constructor(private readonly parse: PushLineParser) {}

  /** Feed a chunk of `stream`; returns the completed lines with their events. */
  feed(stream: PushLine['stream'], chunk: Buffer | string): ReadResult[] {
    return this.parseAll(stream, this.splitters[stream].push(chunk));
  }

  /** The stream ended: its unterminated last line, if any. */
  end(stream: PushLine['stream']): ReadResult[] {
    return this.parseAll(stream, this.splitters[stream].end());
  }

  private parseAll(stream: PushLine['stream'], texts: string[]): ReadResult[] {
    return texts.map((text) => {
      const line: PushLine = { text, stream };
      return { line, events: this.parse(line, this.state) };
    });
  }
}
