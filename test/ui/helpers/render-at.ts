/**
 * Rendering an Ink tree into memory at a chosen terminal size. ink-testing-library fixes
 * stdout at 100 columns; the dashboard must be checked at 120x40 and 70x20 too, so this is
 * the same technique with a size that can change (and emit 'resize' like a terminal).
 */
import { EventEmitter } from 'node:events';
import { render, type Instance } from 'ink';
import type { ReactElement } from 'react';

class SizedStdout extends EventEmitter {
  frames: string[] = [];
  isTTY = true;
  constructor(
    public columns: number,
    public rows: number,
  ) {
    super();
  }
  write = (frame: string) => {
    this.frames.push(frame);
    this.emit('frame', frame);
    return true;
  };
  lastFrame = () => this.frames[this.frames.length - 1] ?? '';
}

class FakeStdin extends EventEmitter {
  isTTY: boolean | undefined = true;
  private data: string | null = null;
  write = (data: string) => {
    this.data = data;
    this.emit('readable');
    this.emit('data', data);
  };
  read = () => {
    const d = this.data;
    this.data = null;
    return d;
  };
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
}

/** A rendered tree: its frames, a way to type, and to resize. */
export interface Rendered {
  lastFrame(): string;
  /**
   * The first frame (the current one included) for which `test` holds; rejects after
   * `timeoutMs` with what was awaited and the last frame. Frames are written as Ink draws.
   */
  waitForFrame(what: string, test: (frame: string) => boolean, timeoutMs?: number): Promise<string>;
  stdin: { write(data: string): void };
  resize(columns: number, rows: number): void;
  unmount(): void;
}

/** Render `tree` on a fake terminal of `columns` x `rows`; `pipedStdin`: stdin is not a terminal. */
export function renderAt(tree: ReactElement, columns: number, rows: number, pipedStdin = false): Rendered {
  const stdout = new SizedStdout(columns, rows);
  const stdin = new FakeStdin();
  // A pipe has no isTTY property at all (not even false).
  if (pipedStdin) stdin.isTTY = undefined;
  const instance: Instance = render(tree, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    stderr: new SizedStdout(columns, rows) as unknown as NodeJS.WriteStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  return {
    lastFrame: stdout.lastFrame,
    waitForFrame: (what, test, timeoutMs = 5000) => waitForFrame(stdout, what, test, timeoutMs),
    stdin,
    resize(c, r) {
      stdout.columns = c;
      stdout.rows = r;
      stdout.emit('resize');
    },
    unmount: () => instance.unmount(),
  };
}

function waitForFrame(
  stdout: SizedStdout,
  what: string,
  test: (frame: string) => boolean,
  timeoutMs: number,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      stdout.off('frame', onFrame);
    };
    const onFrame = (frame: string) => {
      if (!test(frame)) return;
      done();
      resolve(frame);
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`no frame with ${what} within ${timeoutMs} ms; the last one:\n${stdout.lastFrame()}`));
    }, timeoutMs);
    stdout.on('frame', onFrame);
    onFrame(stdout.lastFrame());
  });
}

/** Lines of a frame, without the final newline. */
export function linesOf(frame: string): string[] {
  return frame.replace(/\n$/, '').split('\n');
}
