import { FakeClock } from '../../test/support/fake-clock';
import { MemoryCallerThrottleStorage } from './caller-throttle.storage';

describe(MemoryCallerThrottleStorage.name, () => {
  it('blocks past the limit and lets the caller back in when the block ends, however often it knocked', async () => {
    const clock = new FakeClock();
    const storage = new MemoryCallerThrottleStorage(clock);
    const hit = () => storage.increment('alice', 1000, 2, 1000);

    expect((await hit()).isBlocked).toBe(false);
    expect((await hit()).isBlocked).toBe(false);
    const blocked = await hit();
    for (let i = 0; i < 50; i += 1) {
      await clock.advance(15);
      expect((await hit()).isBlocked).toBe(true);
    }
    await clock.advance(1000 - 750 + 1);

    expect(blocked).toMatchObject({ isBlocked: true, timeToBlockExpire: 1 });
    expect((await hit()).isBlocked).toBe(false);
  });

  it('counts callers apart', async () => {
    const storage = new MemoryCallerThrottleStorage(new FakeClock());

    await storage.increment('alice', 1000, 1, 1000);
    expect((await storage.increment('alice', 1000, 1, 1000)).isBlocked).toBe(true);
    expect((await storage.increment('bob', 1000, 1, 1000)).isBlocked).toBe(false);
  });
});
