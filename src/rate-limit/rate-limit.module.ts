import { Module } from '@nestjs/common';
import { Clock } from '../common/clock';
import { BudgetConfig } from '../config/app-config';
import { REDIS_CLIENT, type RedisClient } from '../redis/redis.client';
import { BudgetMetrics } from './budget.metrics';
import { LocalUpstreamBudget } from './local-upstream-budget';
import { RedisUpstreamBudget } from './redis-upstream-budget';
import { UPSTREAM_BUDGET, type UpstreamBudget } from './upstream-budget';

/**
 * The upstream budget, the one door every VOD call passes through: the shared schedule in Redis
 * when REDIS_URL is set, else a schedule in this process.
 */
@Module({
  providers: [
    BudgetMetrics,
    {
      provide: UPSTREAM_BUDGET,
      inject: [BudgetConfig, REDIS_CLIENT, Clock, BudgetMetrics],
      useFactory: (
        config: BudgetConfig,
        redis: RedisClient | undefined,
        clock: Clock,
        metrics: BudgetMetrics,
      ): UpstreamBudget =>
        redis === undefined
          ? new LocalUpstreamBudget(config, clock, metrics)
          : new RedisUpstreamBudget(config, redis, clock, metrics),
    },
  ],
  exports: [UPSTREAM_BUDGET],
})
export class RateLimitModule {}
