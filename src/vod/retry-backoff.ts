const BASE_DELAY_MS = 50;
const MAX_DELAY_MS = 800;

/**
 * "Full jitter" backoff before retry number `retry` (1 for the first retry): a uniform delay up
 * to an exponentially growing cap, so replicas that failed together do not retry together.
 * `random` is in [0, 1).
 */
export function retryDelayMs(retry: number, random: number): number {
  const cap = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (retry - 1));
  return Math.floor(random * cap);
}
