import { Module } from '@nestjs/common';
import { Clock } from '../common/clock';
import { BudgetConfig } from '../config/app-config';
import { REDIS_CLIENT, type RedisClient } from '../redis/redis.client';
import { CACHE_STORE, type CacheStore } from './cache-store';
import { CacheMetrics } from './cache.metrics';
import { CredentialCache } from './credential-cache';
import { MemoryCacheStore } from './memory-cache-store';
import { RedisCacheStore } from './redis-cache-store';
import { SharedFlight } from './shared-flight';

/** The store behind caching (Redis when configured, else memory), the credential cache, flights. */
@Module({
  providers: [
    {
      provide: CACHE_STORE,
      inject: [REDIS_CLIENT, Clock, BudgetConfig],
      useFactory: (
        redis: RedisClient | undefined,
        clock: Clock,
        budget: BudgetConfig,
      ): CacheStore =>
        redis === undefined
          ? new MemoryCacheStore(clock)
          : new RedisCacheStore(redis, `vod-refresh:${budget.name}:cache:`),
    },
    CacheMetrics,
    CredentialCache,
    SharedFlight,
  ],
  exports: [CACHE_STORE, CacheMetrics, CredentialCache, SharedFlight],
})
export class CacheModule {}
