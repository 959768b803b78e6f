/** Small statistics for benchmark reports. */

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) {
    return Number.NaN;
  }
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Jain's fairness index: 1 when every share is equal, 1/n when one takes everything. */
export function jainIndex(shares: readonly number[]): number {
  const sum = shares.reduce((a, b) => a + b, 0);
  const squares = shares.reduce((a, b) => a + b * b, 0);
  return squares === 0 ? 1 : (sum * sum) / (shares.length * squares);
}

/** Windows of `windowMs` (sliding, anchored at every arrival) holding more than `limit`. */
export function windowsOver(times: readonly number[], windowMs: number, limit: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let over = 0;
  let end = 0;
  for (let start = 0; start < sorted.length; start += 1) {
    while (end < sorted.length && (sorted[end] as number) < (sorted[start] as number) + windowMs) {
      end += 1;
    }
    if (end - start > limit) {
      over += 1;
    }
  }
  return over;
}
