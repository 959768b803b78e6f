/** Whole seconds a refused caller should wait before trying again (at least 1), for Retry-After. */
export function retryAfterSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}
