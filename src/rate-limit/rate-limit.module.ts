import { Module } from '@nestjs/common';
import { BudgetMetrics } from './budget.metrics';
import { LocalUpstreamBudget } from './local-upstream-budget';
import { UPSTREAM_BUDGET } from './upstream-budget';

/** The upstream budget: the one door every VOD call passes through. */
@Module({
  providers: [
    BudgetMetrics,
    LocalUpstreamBudget,
    { provide: UPSTREAM_BUDGET, useExisting: LocalUpstreamBudget },
  ],
  exports: [UPSTREAM_BUDGET],
})
export class RateLimitModule {}
