import { type RedisClient } from '../redis/redis.client';
import { Logger } from '@nestjs/common';
import { type ThrottlerStorage } from '@nestjs/throttler';
import { type ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';
import { type Clock } from '../common/clock';
import { retryAfterSeconds } from '../common/retry-after';
import { CALLER_HIT_SCRIPT } from './caller-throttle.scripts';

/**
 * @nestjs/throttler storages for the per-caller limit. The library's guard expects seconds in
 * `timeToExpire` and `timeToBlockExpire` (it sends them as Retry-After).
 */

/** Shared by every replica through Redis; lets the caller through when Redis fails. */
export class RedisCallerThrottleStorage implements ThrottlerStorage {
  private readonly logger = new Logger(RedisCallerThrottleStorage.name);
  private readonly commands: {
    callerHit(
      hits: string,
      block: string,
      windowMs: number,
      limit: number,
      blockMs: number,
    ): Promise<[number, number, number, number]>;
  };

  /** @param namespace this deployment's name (VOD_BUDGET_NAME), apart from others in one Redis */
  constructor(
    redis: RedisClient,
    private readonly namespace: string,
  ) {
    redis.defineCommand('callerHit', { numberOfKeys: 2, lua: CALLER_HIT_SCRIPT });
    this.commands = redis as unknown as RedisCallerThrottleStorage['commands'];
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
  ): Promise<ThrottlerStorageRecord> {
    const tag = `{caller-throttle:${this.namespace}:${key}}`;
    try {
      const [hits, windowMs, blocked, blockMs] = await this.commands.callerHit(
        `${tag}:hits`,
        `${tag}:block`,
        ttl,
        limit,
        blockDuration,
      );
      return {
        totalHits: hits,
        timeToExpire: retryAfterSeconds(windowMs),
        isBlocked: blocked === 1,
        timeToBlockExpire: blocked === 1 ? retryAfterSeconds(blockMs) : 0,
      };
    } catch (error) {
      // The per-caller limit is about fairness; the upstream budget still protects VOD.
      this.logger.warn(
        `caller throttle unavailable, letting the call through: ${(error as Error).message}`,
      );
      return {
        totalHits: 0,
        timeToExpire: retryAfterSeconds(ttl),
        isBlocked: false,
        timeToBlockExpire: 0,
      };
    }
  }
}

interface Entry {
  hits: number;
  windowEndsAt: number;
  blockedUntil: number;
}

const MAX_TRACKED_CALLERS = 100_000;

/** The same semantics in this process, for a single instance without Redis. */
export class MemoryCallerThrottleStorage implements ThrottlerStorage {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly clock: Clock) {}

  increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
  ): Promise<ThrottlerStorageRecord> {
    const now = this.clock.monotonic();
    let entry = this.entries.get(key);
    if (entry !== undefined && entry.blockedUntil > now) {
      return Promise.resolve({
        totalHits: entry.hits,
        timeToExpire: retryAfterSeconds(entry.windowEndsAt - now),
        isBlocked: true,
        timeToBlockExpire: retryAfterSeconds(entry.blockedUntil - now),
      });
    }
    if (entry === undefined || entry.windowEndsAt <= now) {
      this.evictIfFull(now);
      entry = { hits: 0, windowEndsAt: now + ttl, blockedUntil: 0 };
      this.entries.set(key, entry);
    }
    entry.hits += 1;
    if (entry.hits > limit) {
      const hits = entry.hits;
      entry.blockedUntil = now + blockDuration;
      entry.hits = 0;
      entry.windowEndsAt = entry.blockedUntil;
      return Promise.resolve({
        totalHits: hits,
        timeToExpire: retryAfterSeconds(ttl),
        isBlocked: true,
        timeToBlockExpire: retryAfterSeconds(blockDuration),
      });
    }
    return Promise.resolve({
      totalHits: entry.hits,
      timeToExpire: retryAfterSeconds(entry.windowEndsAt - now),
      isBlocked: false,
      timeToBlockExpire: 0,
    });
  }

  private evictIfFull(now: number): void {
    if (this.entries.size < MAX_TRACKED_CALLERS) {
      return;
    }
    for (const [key, entry] of this.entries) {
      if (entry.windowEndsAt <= now && entry.blockedUntil <= now) {
        this.entries.delete(key);
      }
    }
    if (this.entries.size >= MAX_TRACKED_CALLERS) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) {
        this.entries.delete(oldest);
      }
    }
  }
}
