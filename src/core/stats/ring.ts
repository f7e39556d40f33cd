/** A fixed-capacity ring buffer: pushing past capacity drops the oldest item. */
export class Ring<T> {
  private readonly items: (T | undefined)[];
  private head = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`ring capacity must be a positive integer, got ${capacity}`);
    this.items = new Array<T | undefined>(capacity);
  }

  /** Number of items held (at most `capacity`). */
  get size(): number {
    return this.count;
  }

  /** Append `item`, evicting the oldest when full. */
  push(item: T): void {
    this.items[(this.head + this.count) % this.capacity] = item;
    if (this.count < this.capacity) this.count++;
    else this.head = (this.head + 1) % this.capacity;
  }

  /** The oldest item (the one the next push evicts when full), if any. */
  first(): T | undefined {
    return this.count ? this.items[this.head] : undefined;
  }

  /** The newest item, if any. */
  last(): T | undefined {
    return this.count ? this.items[(this.head + this.count - 1) % this.capacity] : undefined;
  }

  /** Items oldest first (a copy). */
  toArray(): T[] {
    const out: T[] = new Array(this.count);
    for (let i = 0; i < this.count; i++) out[i] = this.items[(this.head + i) % this.capacity] as T;
    return out;
  }

  /** The newest `n` items, oldest first. */
  tail(n: number): T[] {
    const all = this.toArray();
    return n >= all.length ? all : all.slice(all.length - n);
  }

  /** Remove everything. */
  clear(): void {
    this.head = 0;
    this.count = 0;
    this.items.fill(undefined);
  }
}
