/**
 * Lists that stay small whatever the length of the log: `HeadTail` keeps the first and the
 * last items and counts what it left out (a timeline reads well that way); `Thinned` keeps
 * items spread over the whole session by dropping every other one when full (chart markers).
 */
import { Ring } from '../stats/ring.js';

/** The first `head` and last `tail` items, and how many in between were left out. */
export class HeadTail<T> {
  private readonly first: T[] = [];
  private readonly last: Ring<T>;
  private seen = 0;

  constructor(
    private readonly head = 100,
    tail = 100,
  ) {
    this.last = new Ring(tail);
  }

  push(item: T): void {
    this.seen++;
    if (this.first.length < this.head) this.first.push(item);
    else this.last.push(item);
  }

  /** Items kept, in order, and the number left out between head and tail. */
  items(): { head: T[]; tail: T[]; omitted: number } {
    const tail = this.last.toArray();
    return { head: [...this.first], tail, omitted: this.seen - this.first.length - tail.length };
  }
}

/** At most `capacity` items spread over the whole stream; `total` counts all. */
export class Thinned<T> {
  private kept: T[] = [];
  private step = 1;
  total = 0;

  constructor(private readonly capacity = 400) {}

  push(item: T): void {
    if (this.total++ % this.step !== 0) return;
    this.kept.push(item);
    if (this.kept.length >= this.capacity) {
      this.kept = this.kept.filter((_, i) => i % 2 === 0);
      this.step *= 2;
    }
  }

  items(): T[] {
    return [...this.kept];
  }
}
