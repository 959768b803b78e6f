import { Injectable, type OnModuleInit } from '@nestjs/common';
import { Clock } from '../common/clock';
import { BudgetConfig } from '../config/app-config';
import { BudgetMetrics } from './budget.metrics';
import { retryAfterSeconds, slotSpacing, type SlotSpacing } from './slot-spacing';
import {
  BudgetExhaustedError,
  type BudgetGrant,
  type BudgetMode,
  type BudgetRequest,
  type UpstreamBudget,
} from './upstream-budget';

/**
 * The budget for a single instance: the evenly spaced schedule kept in this process. Correct only
 * when one replica calls VOD for the account; several replicas need the shared Redis schedule.
 */
@Injectable()
export class LocalUpstreamBudget implements UpstreamBudget, OnModuleInit {
  private readonly spacing: SlotSpacing;
  /** Monotonic time of the next free slot. */
  private nextSlotAt = 0;
  private waiters = 0;

  constructor(
    private readonly config: BudgetConfig,
    private readonly clock: Clock,
    private readonly metrics: BudgetMetrics,
  ) {
    this.spacing = slotSpacing(config.qpsLimit, config.margin);
  }

  onModuleInit(): void {
    this.metrics.limit.set(this.config.qpsLimit);
  }

  mode(): BudgetMode {
    return 'local';
  }

  async acquire(request: BudgetRequest): Promise<BudgetGrant> {
    const startedAt = this.clock.monotonic();
    for (;;) {
      const now = this.clock.monotonic();
      const waitLimitMs = Math.min(
        this.config.maxWaitMs - (now - startedAt),
        request.deadline - this.clock.now(),
      );
      const slotAt = Math.max(now, this.nextSlotAt);
      if (slotAt - now > waitLimitMs || this.waiters >= this.config.maxWaiters) {
        this.metrics.decided('rejected', 'local');
        throw new BudgetExhaustedError(retryAfterSeconds(slotAt - now));
      }
      this.nextSlotAt = slotAt + this.spacing.intervalMs;
      await this.waitUntil(slotAt);
      const latenessMs = this.clock.monotonic() - slotAt;
      this.metrics.lateness.observe(latenessMs / 1000);
      if (latenessMs <= this.spacing.latenessToleranceMs) {
        const waitedMs = this.clock.monotonic() - startedAt;
        this.metrics.decided('granted', 'local');
        this.metrics.wait.observe(waitedMs / 1000);
        return { waitedMs, source: 'local' };
      }
      // Woke too late: sending now could bunch this call with the next slot's, so the slot stays
      // unused and we ask again.
      this.metrics.decided('forfeited', 'local');
    }
  }

  backOff(ms: number): Promise<void> {
    this.nextSlotAt = Math.max(this.nextSlotAt, this.clock.monotonic() + ms);
    return Promise.resolve();
  }

  private async waitUntil(slotAt: number): Promise<void> {
    this.waiters += 1;
    this.metrics.waiters.inc();
    try {
      await this.clock.sleep(slotAt - this.clock.monotonic());
    } finally {
      this.waiters -= 1;
      this.metrics.waiters.dec();
    }
  }
}
