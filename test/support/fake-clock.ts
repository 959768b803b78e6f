import { Clock } from '../../src/common/clock';

/** A clock that moves only when told to; sleepers wake in order as time passes them. */
export class FakeClock extends Clock {
  private current = 1_000_000;
  private sleepers: { until: number; wake: () => void }[] = [];

  override now(): number {
    return this.current;
  }

  override monotonic(): number {
    return this.current;
  }

  override sleep(ms: number): Promise<void> {
    if (ms <= 0) {
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.sleepers.push({ until: this.current + ms, wake: resolve });
    });
  }

  /** Moves time forward by `ms` at once, waking every sleeper whose time has come. */
  async advance(ms: number): Promise<void> {
    this.current += ms;
    const due = this.sleepers.filter((sleeper) => sleeper.until <= this.current);
    this.sleepers = this.sleepers.filter((sleeper) => sleeper.until > this.current);
    due.sort((a, b) => a.until - b.until).forEach((sleeper) => sleeper.wake());
    await flush();
  }

  /** Moves time forward in small steps so each sleeper wakes on time. */
  async advanceInSteps(ms: number, stepMs = 1): Promise<void> {
    for (let passed = 0; passed < ms; passed += stepMs) {
      await this.advance(stepMs);
    }
  }
}

export async function flush(): Promise<void> {
  for (let i = 0; i < 10; i += 1) {
    await Promise.resolve();
  }
}
