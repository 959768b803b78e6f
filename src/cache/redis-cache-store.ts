import { type RedisClient } from '../redis/redis.client';
import { type CacheStore } from './cache-store';

export class RedisCacheStore implements CacheStore {
  readonly kind = 'redis';

  /**
   * @param prefix keeps this deployment's keys apart from anything else in a shared Redis
   *   (`vod-refresh:<VOD_BUDGET_NAME>:cache:`).
   */
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  async get(key: string): Promise<string | undefined> {
    return (await this.redis.get(this.prefix + key)) ?? undefined;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.redis.set(this.prefix + key, value, 'PX', Math.max(1, Math.round(ttlMs)));
  }

  async claim(key: string, ttlMs: number): Promise<boolean> {
    return (
      (await this.redis.set(this.prefix + key, '1', 'PX', Math.max(1, Math.round(ttlMs)), 'NX')) ===
      'OK'
    );
  }

  async exists(key: string): Promise<boolean> {
    return (await this.redis.exists(this.prefix + key)) === 1;
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }
}
