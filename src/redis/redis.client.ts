import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { type RedisConfig } from '../config/app-config';

/** Injection token of the shared Redis client; its value is undefined when no Redis is configured. */
export const REDIS_CLIENT = Symbol('RedisClient');

/** Standalone (or Sentinel-managed) Redis, or a Redis Cluster: the same commands either way. */
export type RedisClient = Redis | Cluster;

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

/** The client the configuration asks for: REDIS_URL, REDIS_SENTINELS or REDIS_CLUSTER_NODES. */
export function createRedisClient(
  config: RedisConfig,
  connectionName: string,
): RedisClient | undefined {
  const common: RedisOptions = {
    ...FAIL_FAST_OPTIONS,
    connectionName,
    ...(config.password === undefined ? {} : { password: config.password }),
    ...(config.tls ? { tls: {} } : {}),
  };
  switch (config.topology.kind) {
    case 'none':
      return undefined;
    case 'standalone':
      return new Redis(config.topology.url, { ...FAIL_FAST_OPTIONS, connectionName });
    case 'sentinel':
      return new Redis({
        ...common,
        sentinels: config.topology.sentinels,
        name: config.topology.masterName,
        // Without these ioredis would talk to the master and the sentinels in clear.
        ...(config.tls ? { enableTLSForSentinelMode: true, sentinelTLS: {} } : {}),
        ...(config.password === undefined ? {} : { sentinelPassword: config.password }),
        sentinelRetryStrategy: (attempt: number) => Math.min(50 * attempt, 500),
      });
    case 'cluster':
      return new Cluster(config.topology.nodes, {
        redisOptions: common,
        enableOfflineQueue: false,
        enableReadyCheck: true,
        maxRedirections: 4,
        clusterRetryStrategy: (attempt: number) => Math.min(50 * attempt, 500),
        slotsRefreshTimeout: 1_000,
      });
  }
}
