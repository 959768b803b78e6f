import { Redis } from 'ioredis';
import { RESERVE_SCRIPT } from '../src/rate-limit/redis-schedule.scripts';
import { RedisServer } from './support/redis-server';

/** The reservation script alone, against a real Redis: a flood gets exactly what fits. */
describe('the shared schedule script', () => {
  let redis: RedisServer;
  let client: Redis;
  const reserve = (key: string, intervalUs: number, maxWaitUs: number, floorUs = 0) =>
    client.eval(RESERVE_SCRIPT, 1, key, intervalUs, maxWaitUs, floorUs) as Promise<
      [number, number]
    >;

  beforeAll(async () => {
    redis = await RedisServer.start();
    client = new Redis(redis.url);
  });

  afterAll(async () => {
    client.disconnect();
    await redis.stop();
  });

  it('grants a simultaneous flood exactly the slots that fit in the wait', async () => {
    const intervalUs = 10_000;
    const maxWaitUs = 1_000_000;

    const started = performance.now();
    const answers = await Promise.all(
      Array.from({ length: 500 }, () => reserve('{t}:flood', intervalUs, maxWaitUs)),
    );
    const floodUs = (performance.now() - started) * 1000;

    const granted = answers
      .filter(([ok]) => ok === 1)
      .map(([, delay]) => delay)
      .sort((a, b) => a - b);
    // Slots at 0, 10, ..., 1000 ms after the first: 101, plus one per interval the flood itself
    // took to arrive (each call's wait is measured from its own moment).
    expect(granted.length).toBeGreaterThanOrEqual(101);
    expect(granted.length).toBeLessThanOrEqual(101 + Math.ceil(floodUs / intervalUs));
    expect(Math.max(...granted)).toBeLessThanOrEqual(maxWaitUs);
    const refused = answers.filter(([ok]) => ok === 0);
    expect(refused).toHaveLength(500 - granted.length);
    expect(Math.min(...refused.map(([, delay]) => delay))).toBeGreaterThan(maxWaitUs);
  });

  it('consumes nothing when it refuses', async () => {
    await reserve('{t}:refuse', 100_000, 0);
    const before = await client.get('{t}:refuse');

    const [ok] = await reserve('{t}:refuse', 100_000, 0);

    expect(ok).toBe(0);
    expect(await client.get('{t}:refuse')).toBe(before);
  });

  it('restarts a lost schedule behind the fence it is given', async () => {
    const [ok, delayUs] = await reserve('{t}:lost', 10_000, 5_000_000, 2_000_000);

    expect(ok).toBe(1);
    expect(delayUs).toBeGreaterThanOrEqual(1_990_000);
  });

  it('stores the schedule as a plain integer (no exponent notation)', async () => {
    await reserve('{t}:format', 10_000, 1_000_000);

    expect(await client.get('{t}:format')).toMatch(/^\d{16,}$/);
  });
});
