import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { Clock } from '../common/clock';
import { BudgetConfig, CallerThrottleConfig } from '../config/app-config';
import { REDIS_CLIENT, type RedisClient } from '../redis/redis.client';
import { CallerThrottleGuard } from './caller-throttle.guard';
import { MemoryCallerThrottleStorage, RedisCallerThrottleStorage } from './caller-throttle.storage';

/** Per-caller request limits, shared through Redis when it is configured. */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [CallerThrottleConfig, REDIS_CLIENT, Clock, BudgetConfig],
      useFactory: (
        config: CallerThrottleConfig,
        redis: RedisClient | undefined,
        clock: Clock,
        budget: BudgetConfig,
      ) => ({
        // Named "default" so the guard's header is plain Retry-After (others get a suffix).
        throttlers: [
          {
            name: 'default',
            limit: config.limit,
            ttl: config.windowMs,
            blockDuration: config.windowMs,
          },
        ],
        storage:
          redis === undefined
            ? new MemoryCallerThrottleStorage(clock)
            : new RedisCallerThrottleStorage(redis, budget.name),
      }),
    }),
  ],
  providers: [CallerThrottleGuard],
  exports: [CallerThrottleGuard, ThrottlerModule],
})
export class CallerThrottleModule {}
