import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import type { StoreSnapshot } from '../../src/core/store.js';
import { ENTER_ALT_SCREEN, LEAVE_ALT_SCREEN, startTui } from '../../src/ui/start-tui.js';
import { rounds, sessionStart, storeOf } from './helpers/events.js';

class TerminalOut extends EventEmitter {
  isTTY = true;
  columns = 100;
  rows = 30;
  written = '';
  write = (s: string) => {
    this.written += s;
    return true;
  };
}

class TerminalIn extends EventEmitter {
  isTTY = true;
  rawMode: boolean[] = [];
  private pending: string | null = null;
  setRawMode = (on: boolean) => {
    this.rawMode.push(on);
    return this;
  };
  setEncoding() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
  read = () => {
    const d = this.pending;
    this.pending = null;
    return d;
  };
  type(s: string) {
    this.pending = s;
    this.emit('readable');
  }
}

function start(store: { subscribe(l: () => void): () => void; getSnapshot(): StoreSnapshot }) {
  const stdout = new TerminalOut();
  const stdin = new TerminalIn();
  const onInterrupt = vi.fn();
  const tui = startTui({
    store,
    version: '0.1.0',
    logPath: null,
    color: false,
    onInterrupt,
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    stderr: new TerminalOut() as unknown as NodeJS.WriteStream,
  });
  return { tui, stdout, stdin, onInterrupt };
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('startTui', () => {
  it('draws on the alternate screen, quits on q, and restores the terminal', async () => {
    const listeners = process.listenerCount('exit');
    const { tui, stdout, stdin } = start(storeOf([sessionStart(['gcr.io']), ...rounds('gcr.io', [10, 12])]));
    expect(stdout.written.startsWith(ENTER_ALT_SCREEN)).toBe(true);
    expect(process.listenerCount('exit')).toBe(listeners + 1);
    await wait(50);
    expect(stdin.rawMode).toContain(true);
    stdin.type('q');
    await tui.quit;
    await tui.close();
    expect(stdout.written.endsWith(LEAVE_ALT_SCREEN)).toBe(true);
    expect(stdin.rawMode.at(-1)).toBe(false);
    expect(process.listenerCount('exit')).toBe(listeners);
    // Closing twice restores once.
    await tui.close();
    expect(stdout.written.split(LEAVE_ALT_SCREEN)).toHaveLength(2);
  });

  it('turns Ctrl-C into an interrupt request', async () => {
    const { tui, stdin, onInterrupt } = start(storeOf([sessionStart(['gcr.io'])]));
    await wait(50);
    stdin.type('\x03');
    await wait(20);
    expect(onInterrupt).toHaveBeenCalledTimes(1);
    await tui.close();
  });

  it('restores the terminal and reports the error when the UI crashes', async () => {
    const broken = {
      subscribe: () => () => undefined,
      getSnapshot: () => ({ version: 1, state: undefined }) as unknown as StoreSnapshot,
    };
    const { tui, stdout } = start(broken);
    await tui.quit;
    await expect(tui.close()).rejects.toThrow();
    expect(stdout.written.endsWith(LEAVE_ALT_SCREEN)).toBe(true);
  });
});
