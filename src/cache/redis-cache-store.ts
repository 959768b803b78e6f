import { type RedisClient } from '../redis/redis.client';
import { type CacheStore } from './cache-store';

/** Keys of this service, kept apart from anything else in a shared Redis. */
const KEY_PREFIX = 'vod-refresh:cache:';

export class RedisCacheStore implements CacheStore {
  readonly kind = 'redis';

  constructor(private readonly redis: RedisClient) {}

  async get(key: string): Promise<string | undefined> {
    return (await this.redis.get(KEY_PREFIX + key)) ?? undefined;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.redis.set(KEY_PREFIX + key, value, 'PX', Math.max(1, Math.round(ttlMs)));
  }

  async claim(key: string, ttlMs: number): Promise<boolean> {
    return (
      (await this.redis.set(KEY_PREFIX + key, '1', 'PX', Math.max(1, Math.round(ttlMs)), 'NX')) ===
      'OK'
    );
  }

  async exists(key: string): Promise<boolean> {
    return (await this.redis.exists(KEY_PREFIX + key)) === 1;
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(KEY_PREFIX + key);
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }
}
