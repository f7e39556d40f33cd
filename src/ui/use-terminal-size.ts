/**
 * The terminal's size, updated when it is resized. Ink re-lays out on resize by itself
 * (outside CI), but the dashboard plans its rows from the height, which Ink does not track.
 */
import { useStdout } from 'ink';
import { useEffect, useState } from 'react';

/** Columns and rows. */
export interface TerminalSize {
  columns: number;
  rows: number;
}

/** Used when the stream does not know its size (not a terminal). */
export const FALLBACK_SIZE: TerminalSize = { columns: 80, rows: 24 };

/** The current size of Ink's stdout; `override` (tests, replay to a file) wins. */
export function useTerminalSize(override?: TerminalSize): TerminalSize {
  const { stdout } = useStdout();
  const read = (): TerminalSize => ({
    columns: stdout.columns || FALLBACK_SIZE.columns,
    rows: stdout.rows || FALLBACK_SIZE.rows,
  });
  const [size, setSize] = useState(read);
  useEffect(() => {
    if (override) return undefined;
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
    // `read` only closes over stdout.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [stdout, override]);
  return override ?? size;
}
