/**
 * The single owner of process signals. Commands ask for the next stop request; the first
 * SIGINT/SIGTERM/SIGHUP resolves it. A second SIGINT while stopping forces an exit (the user
 * insists), with the code 130 a shell expects.
 */

/** Why the user wants to stop. */
export interface StopRequest {
  signal: NodeJS.Signals;
}

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Listen for stop signals until the returned `dispose` is called. */
export function listenForStop(onSignal?: (signal: NodeJS.Signals) => void): {
  stopped: Promise<StopRequest>;
  dispose: () => void;
} {
  let resolve!: (r: StopRequest) => void;
  const stopped = new Promise<StopRequest>((r) => {
    resolve = r;
  });
  let count = 0;
  const handler = (signal: NodeJS.Signals) => {
    count++;
    onSignal?.(signal);
    if (count === 1) resolve({ signal });
    else if (signal === 'SIGINT' && count >= 3) process.exit(130);
  };
  for (const s of SIGNALS) process.on(s, handler);
  return {
    stopped,
    dispose: () => {
      for (const s of SIGNALS) process.off(s, handler);
    },
  };
}

/** The conventional exit status of a process killed by `signal` (128 + number). */
export function signalExitCode(signal: NodeJS.Signals): number {
  const numbers: Partial<Record<NodeJS.Signals, number>> = {
    SIGHUP: 1,
    SIGINT: 2,
    SIGQUIT: 3,
    SIGKILL: 9,
    SIGTERM: 15,
  };
  return 128 + (numbers[signal] ?? 0);
}
