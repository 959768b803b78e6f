import { Module } from '@nestjs/common';
import { type Redis } from 'ioredis';
import { Clock } from '../common/clock';
import { REDIS_CLIENT } from '../redis/redis.client';
import { CACHE_STORE, type CacheStore } from './cache-store';
import { MemoryCacheStore } from './memory-cache-store';
import { RedisCacheStore } from './redis-cache-store';

/** The store behind caching: Redis when configured, else memory. */
@Module({
  providers: [
    {
      provide: CACHE_STORE,
      inject: [REDIS_CLIENT, Clock],
      useFactory: (redis: Redis | undefined, clock: Clock): CacheStore =>
        redis === undefined ? new MemoryCacheStore(clock) : new RedisCacheStore(redis),
    },
  ],
  exports: [CACHE_STORE],
})
export class CacheModule {}
