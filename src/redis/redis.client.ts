import { Redis, type RedisOptions } from 'ioredis';

/** Injection token of the shared ioredis client; its value is undefined when REDIS_URL is unset. */
export const REDIS_CLIENT = Symbol('RedisClient');

/**
 * ioredis's defaults suit a cache that can wait, not a limiter on the request path: during an
 * outage they queue every command, then replay them all after reconnecting. Here a command fails
 * at once while Redis is away, is never resent, and times out quickly; reconnects are tried often.
 */
export const FAIL_FAST_OPTIONS: RedisOptions = {
  enableOfflineQueue: false,
  autoResendUnfulfilledCommands: false,
  maxRetriesPerRequest: 0,
  // A healthy Redis answers in about a millisecond; a stalled one is noticed within 100 ms.
  commandTimeout: 100,
  connectTimeout: 1_000,
  retryStrategy: (attempt: number) => Math.min(50 * attempt, 500),
  enableReadyCheck: true,
};

export function createRedisClient(url: string, connectionName: string): Redis {
  return new Redis(url, { ...FAIL_FAST_OPTIONS, connectionName });
}
