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
    stdin,
    resize(c, r) {
      stdout.columns = c;
      stdout.rows = r;
      stdout.emit('resize');
    },
    unmount: () => instance.unmount(),
  };
}

/** Wait for Ink and React to settle (input handling and effects are asynchronous). */
export function settle(ms = 30): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
