/** The dashboard's export key: asks its owner to export, and says in the key line where it went. */
import type { UiAction } from './ui-state.js';

/** Run `onExport` (undefined: not available here), with a notice that leaves after `noticeMs`. */
export function startExport(
  onExport: (() => Promise<string>) | undefined,
  dispatch: (a: UiAction) => void,
  clock: () => number,
  noticeMs: number,
): void {
  // The clock may stand still (an ended session): a timer takes the notice away.
  const say = (text: string, ok: boolean) => {
    dispatch({ type: 'message', text, ok, at: clock() });
    setTimeout(() => dispatch({ type: 'clear-message', text }), noticeMs).unref();
  };
  if (!onExport) {
    say('export: not available here', false);
    return;
  }
  dispatch({ type: 'message', text: 'export: writing...', ok: true, at: clock() });
  onExport().then(
    (path) => say(`exported to ${path}`, true),
    (err: unknown) => say(`export failed: ${err instanceof Error ? err.message : String(err)}`, false),
  );
}
