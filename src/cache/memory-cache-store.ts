import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { type CacheStore } from './cache-store';

/** Entries beyond this are evicted oldest first, so a flood of distinct keys cannot grow memory. */
const MAX_ENTRIES = 10_000;

/** The in-process store used when REDIS_URL is unset (a single instance). */
@Injectable()
export class MemoryCacheStore implements CacheStore {
  readonly kind = 'memory';
  private readonly entries = new Map<string, { value: string; expiresAt: number }>();

  constructor(private readonly clock: Clock) {}

  get(key: string): Promise<string | undefined> {
    const entry = this.entries.get(key);
    if (entry === undefined) {
      return Promise.resolve(undefined);
    }
    if (entry.expiresAt <= this.clock.monotonic()) {
      this.entries.delete(key);
      return Promise.resolve(undefined);
    }
    return Promise.resolve(entry.value);
  }

  set(key: string, value: string, ttlMs: number): Promise<void> {
    this.entries.delete(key);
    if (this.entries.size >= MAX_ENTRIES) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) {
        this.entries.delete(oldest);
      }
    }
    this.entries.set(key, { value, expiresAt: this.clock.monotonic() + ttlMs });
    return Promise.resolve();
  }

  async claim(key: string, ttlMs: number): Promise<boolean> {
    if (await this.exists(key)) {
      return false;
    }
    await this.set(key, '1', ttlMs);
    return true;
  }

  async exists(key: string): Promise<boolean> {
    return (await this.get(key)) !== undefined;
  }

  delete(key: string): Promise<void> {
    this.entries.delete(key);
    return Promise.resolve();
  }

  ping(): Promise<void> {
    return Promise.resolve();
  }
}
