/**
 * Starting and stopping the dashboard on a real terminal. The dashboard is drawn on the
 * alternate screen (as `less` and `top` do), so quitting gives the user back the screen
 * they had. The terminal is restored on every way out: `close()`, a crash inside the UI,
 * an uncaught error elsewhere (restored before the error is printed, so the message stays
 * visible), and process exit.
 */
import { render, type Instance } from 'ink';
import type { StoreSnapshot } from '../core/store.js';
import { Dashboard } from './Dashboard.js';
import { frameRecorder } from './frame-stats.js';
import type { ReplayInfo } from './Header.js';
import type { StoreSource } from './use-frames.js';

/** Enter the alternate screen, and leave it showing the cursor again. */
export const ENTER_ALT_SCREEN = '\x1b[?1049h\x1b[H';
export const LEAVE_ALT_SCREEN = '\x1b[?25h\x1b[?1049l';
/** Clear the (alternate) screen and put the cursor home. */
const CLEAR_SCREEN = '\x1b[2J\x1b[H';

/** What the dashboard needs from its owner. */
export interface TuiOptions {
  store: StoreSource<StoreSnapshot>;
  version: string;
  logPath: string | null;
  color: boolean;
  stdout: NodeJS.WriteStream;
  stdin: NodeJS.ReadStream;
  stderr: NodeJS.WriteStream;
  /** Ctrl-C pressed (raw mode turns it into a key, not a signal). */
  onInterrupt(): void;
  onExport?(): Promise<string>;
  /** The clock of the display: a replay's session time instead of the wall clock. */
  now?: () => number;
  /** Space paused (true) or resumed (false) the display: a replay pauses with it. */
  onPause?(paused: boolean): void;
  /** Set for a replay: its speed and the log's length, for the header. */
  replay?: ReplayInfo;
}

/** A running dashboard. */
export interface TuiHandle {
  /** Resolves when the user quits (or the UI failed: `close()` then rejects with the error). */
  quit: Promise<void>;
  /** Unmount, restore the terminal; rejects with the UI's error if it crashed. */
  close(): Promise<void>;
  /** Show `text` in the key line (what quitting waits for). */
  notice(text: string): void;
}

/** A one-value store the owner writes and the dashboard reads (the notice). */
function noticeBoard() {
  let value: string | undefined;
  const listeners = new Set<() => void>();
  return {
    subscribe: (l: () => void) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    getSnapshot: () => value,
    set(text: string) {
      value = text;
      for (const l of [...listeners]) l();
    },
  };
}

/** Start the dashboard on `opts.stdout`. */
export function startTui(opts: TuiOptions): TuiHandle {
  let resolveQuit!: () => void;
  const quit = new Promise<void>((r) => {
    resolveQuit = r;
  });
  let failure: unknown;
  let restored = false;
  const frames = frameRecorder(process.env.GCRWATCH_FRAME_STATS);

  const restore = () => {
    if (restored) return;
    restored = true;
    try {
      instance.unmount();
    } catch {
      // Already unmounted after a crash: the screen is all that is left to restore.
    }
    try {
      if (opts.stdin.isTTY && typeof opts.stdin.setRawMode === 'function') opts.stdin.setRawMode(false);
    } catch {
      // stdin may already be closed at exit.
    }
    opts.stdout.off('resize', clearOnResize);
    opts.stdout.write(LEAVE_ALT_SCREEN);
    frames.write();
    process.off('exit', restore);
    process.off('uncaughtException', restore);
    process.off('unhandledRejection', restore);
  };

  opts.stdout.write(ENTER_ALT_SCREEN);
  // A resize reflows what is on the screen, and Ink erases only the lines it wrote: start
  // the alternate screen afresh, before Ink draws again (listeners run in order).
  const clearOnResize = () => opts.stdout.write(CLEAR_SCREEN);
  opts.stdout.prependListener('resize', clearOnResize);
  process.on('exit', restore);
  // Before main's last-resort handler prints the error, so the message lands on the normal screen.
  process.prependListener('uncaughtException', restore);
  process.prependListener('unhandledRejection', restore);

  const notices = noticeBoard();
  const instance: Instance = render(
    <Dashboard
      notice={notices}
      store={opts.store}
      version={opts.version}
      logPath={opts.logPath}
      color={opts.color}
      interactive
      onQuit={resolveQuit}
      onInterrupt={opts.onInterrupt}
      onExport={opts.onExport}
      now={opts.now}
      onPause={opts.onPause}
      replay={opts.replay}
    />,
    {
      stdout: opts.stdout,
      stdin: opts.stdin,
      stderr: opts.stderr,
      exitOnCtrlC: false,
      patchConsole: true,
      maxFps: 10,
      onRender: frames.onRender,
    },
  );
  instance.waitUntilExit().catch((err: unknown) => {
    failure = err;
    resolveQuit();
  });

  return {
    quit,
    notice: (text) => notices.set(text),
    close: async () => {
      restore();
      if (failure !== undefined) throw failure instanceof Error ? failure : new Error(String(failure));
    },
  };
}
