import { Injectable, type OnModuleInit } from '@nestjs/common';
import { Clock } from '../common/clock';
import { BudgetConfig } from '../config/app-config';
import { BudgetMetrics } from './budget.metrics';
import { SlotSchedule } from './slot-schedule';
import { slotSpacing } from './slot-spacing';
import { SlotWaiter } from './slot-waiter';
import {
  type BudgetGrant,
  type BudgetMode,
  type BudgetRequest,
  type UpstreamBudget,
} from './upstream-budget';

/**
 * The budget for a single instance (no REDIS_URL): the evenly spaced schedule kept in this
 * process. Correct only when one replica calls VOD for the account.
 */
@Injectable()
export class LocalUpstreamBudget implements UpstreamBudget, OnModuleInit {
  private readonly schedule: SlotSchedule;
  private readonly waiter: SlotWaiter;

  constructor(
    private readonly config: BudgetConfig,
    private readonly clock: Clock,
    private readonly metrics: BudgetMetrics,
  ) {
    const spacing = slotSpacing(config.qpsLimit, config.margin);
    this.schedule = new SlotSchedule(spacing.intervalMs);
    this.waiter = new SlotWaiter(clock, metrics, config.maxWaiters, spacing.latenessToleranceMs);
  }

  onModuleInit(): void {
    this.metrics.limit.set(this.config.qpsLimit);
  }

  mode(): BudgetMode {
    return 'local';
  }

  acquire(request: BudgetRequest): Promise<BudgetGrant> {
    return this.waiter.acquire(this.config.maxWaitMs, request.deadline, 'local', (waitLimitMs) =>
      this.schedule.reserve(this.clock.monotonic(), waitLimitMs),
    );
  }

  forfeit(grant: BudgetGrant): void {
    this.metrics.decided('forfeited', grant.source);
  }

  backOff(ms: number): Promise<void> {
    this.schedule.startNoEarlierThan(this.clock.monotonic() + ms);
    return Promise.resolve();
  }
}
