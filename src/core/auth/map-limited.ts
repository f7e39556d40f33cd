/** Start `fn` for each item, at most `limit` at once; the promises are in the items' order. */
export function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R>[] {
  let active = 0;
  const waiting: Array<() => void> = [];
  const slot = () =>
    new Promise<void>((resolve) => {
      if (active < limit) {
        active++;
        resolve();
      } else
        waiting.push(() => {
          active++;
          resolve();
        });
    });
  const release = () => {
    active--;
    waiting.shift()?.();
  };
  return items.map(async (item) => {
    await slot();
    try {
      return await fn(item);
    } finally {
      release();
    }
  });
}
