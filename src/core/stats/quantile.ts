/** Quantiles over small samples, by the nearest-rank method on a sorted copy. */

/** The q-quantile (0..1) of `values`, ignoring NaN; undefined when there is no value. */
export function quantile(values: ArrayLike<number>, q: number): number | undefined {
  const sorted = Array.from(values)
    .filter((v) => !Number.isNaN(v))
    .sort((a, b) => a - b);
  return quantileOfSorted(sorted, q);
}

/** The q-quantile of an ascending array; undefined when empty. */
export function quantileOfSorted(sorted: readonly number[], q: number): number | undefined {
  if (!sorted.length) return undefined;
  const rank = Math.ceil(Math.min(1, Math.max(0, q)) * sorted.length);
  return sorted[Math.max(0, rank - 1)];
}
