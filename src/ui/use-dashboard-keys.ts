/**
 * Key handling: Ink's input reader, active only when raw mode is supported (a piped
 * stdin cannot deliver single keys, and Ink throws if asked to enable raw mode there).
 */
import { useInput } from 'ink';
import { commandOfKey, type KeyCommand } from './ui-state.js';

/** Call `onCommand` for every key that means something, while `active`. */
export function useDashboardKeys(active: boolean, onCommand: (cmd: KeyCommand) => void): void {
  useInput(
    (input, key) => {
      const cmd = commandOfKey(input, key);
      if (cmd) onCommand(cmd);
    },
    { isActive: active },
  );
}
