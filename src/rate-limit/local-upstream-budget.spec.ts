import { Registry } from 'prom-client';
import { FakeClock, flush } from '../../test/support/fake-clock';
import { BudgetConfig } from '../config/app-config';
import { BudgetMetrics } from './budget.metrics';
import { LocalUpstreamBudget } from './local-upstream-budget';
import { BudgetExhaustedError, type BudgetGrant } from './upstream-budget';

function setUp(qps: number, maxWaitMs: number, maxWaiters = 100) {
  const clock = new FakeClock();
  const registry = new Registry();
  const budget = new LocalUpstreamBudget(
    new BudgetConfig(qps, maxWaitMs, maxWaiters, 0.012, 'local', 1, 'test'),
    clock,
    new BudgetMetrics(registry),
  );
  return { clock, budget, registry };
}

describe(LocalUpstreamBudget.name, () => {
  it('spaces grants evenly, never more than the limit in any second', async () => {
    const { clock, budget } = setUp(10, 5000);
    const grantedAt: number[] = [];
    const far = clock.now() + 60_000;
    const pending = Array.from({ length: 25 }, () =>
      budget.acquire({ deadline: far }).then(() => grantedAt.push(clock.now())),
    );

    await clock.advanceInSteps(2600);
    await Promise.all(pending);

    const gaps = grantedAt.slice(1).map((at, i) => at - (grantedAt[i] as number));
    expect(grantedAt).toHaveLength(25);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1000 / (10 * (1 - 0.012)) - 1);
    for (const start of grantedAt) {
      expect(grantedAt.filter((at) => at >= start && at < start + 1000).length).toBeLessThanOrEqual(
        10,
      );
    }
  });

  it('refuses at once, with Retry-After, when no slot frees within the wait limit', async () => {
    const { clock, budget, registry } = setUp(10, 250);
    const far = clock.now() + 60_000;
    const granted = [0, 1, 2].map(() => budget.acquire({ deadline: far }));

    await expect(budget.acquire({ deadline: far })).rejects.toEqual(new BudgetExhaustedError(1));

    await clock.advanceInSteps(300);
    await Promise.all(granted);
    const rejected = await registry.getSingleMetricAsString('vod_budget_decisions_total');
    expect(rejected).toContain('vod_budget_decisions_total{result="rejected",source="local"} 1');
  });

  it('consumes nothing when it refuses', async () => {
    const { clock, budget } = setUp(10, 0);
    await budget.acquire({ deadline: clock.now() + 1000 });
    await expect(budget.acquire({ deadline: clock.now() + 1000 })).rejects.toBeInstanceOf(
      BudgetExhaustedError,
    );

    await clock.advance(102);

    await expect(budget.acquire({ deadline: clock.now() + 1000 })).resolves.toMatchObject({
      source: 'local',
    });
  });

  it("never waits past the caller's own deadline", async () => {
    const { clock, budget } = setUp(10, 5000);
    await budget.acquire({ deadline: clock.now() + 60_000 });

    await expect(budget.acquire({ deadline: clock.now() + 50 })).rejects.toBeInstanceOf(
      BudgetExhaustedError,
    );
  });

  it('caps the number of local waiters', async () => {
    const { clock, budget } = setUp(10, 5000, 2);
    const far = clock.now() + 60_000;
    await budget.acquire({ deadline: far }); // granted at once
    const waiting = [0, 1].map(() => budget.acquire({ deadline: far }));
    await flush();

    await expect(budget.acquire({ deadline: far })).rejects.toBeInstanceOf(BudgetExhaustedError);

    await clock.advanceInSteps(400);
    await Promise.all(waiting);
  });

  it('gives up a slot it woke too late for and takes the next one', async () => {
    const { clock, budget, registry } = setUp(10, 5000);
    const far = clock.now() + 60_000;
    await budget.acquire({ deadline: far });
    let grant: BudgetGrant | undefined;
    const late = budget.acquire({ deadline: far }).then((g) => (grant = g));
    await flush();

    await clock.advance(150); // the slot was at ~101 ms: woke ~49 ms late
    await clock.advanceInSteps(200);
    await late;

    expect(grant?.waitedMs).toBeGreaterThan(150);
    const metrics = await registry.getSingleMetricAsString('vod_budget_decisions_total');
    expect(metrics).toContain('result="forfeited",source="local"} 1');
  });

  it('pushes the schedule back after a Throttling answer', async () => {
    const { clock, budget } = setUp(10, 500);

    await budget.backOff(1000);

    await expect(budget.acquire({ deadline: clock.now() + 60_000 })).rejects.toBeInstanceOf(
      BudgetExhaustedError,
    );
  });
});
