/**
 * A push that fails in half a second ends before the first probe rounds and the first
 * credential check have reported: the verdict would then rest on docker's words alone (no
 * identity to name, no endpoint seen). So the wrapper waits, briefly, for those first results
 * before it ends the session.
 */
import type { Session } from '../core/session.js';
import type { SessionState } from '../core/store.js';

/** True once every target has reported a round and the credential checks have run once. */
export function firstResultsIn(state: SessionState): boolean {
  const rounds = [...state.targets.values()].every((t) => t.last !== undefined);
  // The registry's view of the push target is the last check of a run (Google's when there is no push target).
  const views = new Set([...state.auth.values()].map((a) => a.view));
  const credentials = views.has('registry') || (!state.push?.start.registry && views.has('google'));
  return rounds && credentials;
}

/** Resolves when `firstResultsIn` holds for the session, or after `deadlineMs`; true when it held. */
export function awaitFirstResults(session: Session, deadlineMs: number): Promise<boolean> {
  if (firstResultsIn(session.store.state)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (held: boolean) => {
      clearTimeout(timer);
      unsubscribe();
      resolve(held);
    };
    const timer = setTimeout(() => done(false), deadlineMs);
    const unsubscribe = session.attach({
      name: 'first results',
      onEvent: () => {
        if (firstResultsIn(session.store.state)) done(true);
      },
    });
  });
}
