import { type Clock } from '../common/clock';
import { type BudgetMetrics } from './budget.metrics';
import { retryAfterSeconds } from '../common/retry-after';
import { BudgetExhaustedError, type BudgetGrant } from './upstream-budget';

/**
 * One reservation attempt: a slot, or how long until one would free. `slotAt` is the earliest
 * moment (Clock.monotonic()) the slot can have started; `wakeAt`, when later, is when to send so
 * the call is never early (a shared slot's true start lies somewhere in the round trip that
 * fetched it). Lateness is measured from `slotAt`.
 */
export type Reservation = { slotAt: number; wakeAt?: number } | { retryInMs: number };

/**
 * Waits for slots the way every budget must: reserve one (never longer ahead than the wait
 * limit), sleep until it starts, and if the wake-up came later than `latenessToleranceMs`, leave
 * the slot unused and reserve again, so a stalled event loop cannot bunch calls together.
 * Also caps how many callers wait at once.
 */
export class SlotWaiter {
  private waiters = 0;

  constructor(
    private readonly clock: Clock,
    private readonly metrics: BudgetMetrics,
    private readonly maxWaiters: number,
    private readonly latenessToleranceMs: number,
  ) {}

  async acquire(
    maxWaitMs: number,
    deadline: number,
    source: BudgetGrant['source'],
    reserve: (waitLimitMs: number) => Reservation | Promise<Reservation>,
  ): Promise<BudgetGrant> {
    const startedAt = this.clock.monotonic();
    if (this.waiters >= this.maxWaiters) {
      this.metrics.decided('rejected', source);
      throw new BudgetExhaustedError(1);
    }
    this.waiters += 1;
    this.metrics.waiters.inc();
    try {
      for (;;) {
        const waitLimitMs = Math.min(
          maxWaitMs - (this.clock.monotonic() - startedAt),
          deadline - this.clock.now(),
        );
        const reservation = await reserve(Math.max(0, waitLimitMs));
        if ('retryInMs' in reservation) {
          this.metrics.decided('rejected', source);
          throw new BudgetExhaustedError(retryAfterSeconds(reservation.retryInMs));
        }
        const wakeAt = reservation.wakeAt ?? reservation.slotAt;
        // Timers may fire a little early; a call must never go out before its slot.
        while (this.clock.monotonic() < wakeAt) {
          await this.clock.sleep(Math.max(1, wakeAt - this.clock.monotonic()));
        }
        const latenessMs = this.clock.monotonic() - reservation.slotAt;
        this.metrics.lateness.observe(Math.max(0, latenessMs) / 1000);
        if (latenessMs <= this.latenessToleranceMs) {
          const waitedMs = this.clock.monotonic() - startedAt;
          this.metrics.decided('granted', source);
          this.metrics.wait.observe(waitedMs / 1000);
          return { waitedMs, source, sendBy: reservation.slotAt + this.latenessToleranceMs };
        }
        this.metrics.decided('forfeited', source);
      }
    } finally {
      this.waiters -= 1;
      this.metrics.waiters.dec();
    }
  }
}
