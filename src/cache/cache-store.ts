/**
 * The key-value store behind the cache: Redis when REDIS_URL is set, else this process's memory.
 * Every method may fail (Redis down); callers treat a failure as a miss, never as an answer.
 */
export interface CacheStore {
  get(key: string): Promise<string | undefined>;
  /** Stores `value` for `ttlMs` milliseconds. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Sets `key` only if it is absent (a short lock); true when this caller got it. */
  claim(key: string, ttlMs: number): Promise<boolean>;
  exists(key: string): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Resolves when the store answers; rejects when it cannot be reached. */
  ping(): Promise<void>;
  readonly kind: 'redis' | 'memory';
}

export const CACHE_STORE = Symbol('CacheStore');
