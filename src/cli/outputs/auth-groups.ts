/**
 * Credential check lines for plain output: the docker checks of one run, which often find one
 * credential for every host (gcloud's helper for seven Google hosts), wait for the run's next
 * check and are printed as one line per credential. Other checks print at once.
 */
import type { AuthEvent } from '../../core/events.js';
import { authGroupKey, formatAuthGroupLine } from '../format-auth.js';

/** Groups consecutive docker checks that tell the same story. */
export class AuthLineGroups {
  private group: AuthEvent[] = [];
  private key: string | undefined;

  constructor(private readonly print: (line: string) => void) {}

  /**
   * A check arrived; `shown` says whether the output wants its line (an unchanged check is not
   * shown, but a check that is not docker's still ends the docker checks before it).
   */
  add(event: AuthEvent, shown = true): void {
    const key = authGroupKey(event);
    if (key === undefined || key !== this.key) this.flush();
    if (!shown) return;
    if (key === undefined) {
      this.print(formatAuthGroupLine([event]));
      return;
    }
    this.key = key;
    this.group.push(event);
  }

  /** Print the group waiting, if any (the run's next check came, or the session ends). */
  flush(): void {
    if (this.group.length) this.print(formatAuthGroupLine(this.group));
    this.group = [];
    this.key = undefined;
  }
}
