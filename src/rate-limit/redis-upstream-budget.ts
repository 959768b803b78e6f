import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Clock } from '../common/clock';
import { BudgetConfig } from '../config/app-config';
import { REDIS_CLIENT, type RedisClient } from '../redis/redis.client';
import { BudgetMetrics } from './budget.metrics';
import { BACK_OFF_SCRIPT, HEARTBEAT_SCRIPT, RESERVE_SCRIPT } from './redis-schedule.scripts';
import { SlotSchedule } from './slot-schedule';
import { slotSpacing, type SlotSpacing } from './slot-spacing';
import { SlotWaiter, type Reservation } from './slot-waiter';
import {
  BudgetUnavailableError,
  type BudgetGrant,
  type BudgetMode,
  type BudgetRequest,
  type UpstreamBudget,
} from './upstream-budget';

interface ScheduleCommands {
  vodBudgetReserve(
    key: string,
    intervalUs: number,
    maxWaitUs: number,
    freshFloorUs: number,
  ): Promise<[number, number]>;
  vodBudgetBackOff(key: string, backOffUs: number): Promise<number>;
  vodBudgetHeartbeat(key: string, replicaId: string, aliveUs: number): Promise<number>;
}

/** How long replicas may disagree about Redis being back (reconnect back-off, probe period). */
const REJOIN_SPREAD_MS = 1_000;
const PROBE_INTERVAL_MS = 200;
const HEARTBEAT_INTERVAL_MS = 1_000;
/** A replica silent for this long no longer counts towards the shares. */
const REPLICA_ALIVE_MS = 5_000;

class RedisUnavailable extends Error {}

/**
 * The budget shared by every replica through one Redis key: one atomic script and one round trip
 * per decision, on Redis's clock. While Redis is unreachable each replica runs on its share of the
 * budget (1/n of it, n the replicas last seen alive), or refuses with 503 when configured to.
 *
 * Hand-overs never overlap slots already granted: entering fallback, the local share starts
 * `VOD_MAX_WAIT_MS` ahead (no shared slot was granted further ahead than that); leaving it, a
 * replica fences the shared schedule `VOD_MAX_WAIT_MS` + 1 s ahead and keeps to its local share
 * until then, so the fleet has time to notice Redis is back before the shared schedule resumes. A
 * schedule Redis lost (a restart, seen as a dropped connection) restarts as far ahead.
 */
@Injectable()
export class RedisUpstreamBudget implements UpstreamBudget, OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(RedisUpstreamBudget.name);
  private readonly replicaId = randomUUID();
  private readonly scheduleKey: string;
  private readonly membersKey: string;
  private readonly spacing: SlotSpacing;
  private readonly waiter: SlotWaiter;
  private readonly localShare: SlotSchedule;
  private readonly commands: ScheduleCommands;
  private fallback = false;
  /** After leaving fallback, the local share keeps serving until this monotonic time. */
  private localUntil = 0;
  private replicas: number;
  /**
   * The connection dropped since our last decision, so Redis may have restarted empty: if the
   * schedule is missing, restart it past any slot the old one could have granted. A first start
   * (no drop seen) begins at once.
   */
  private sawDisconnect = false;
  private timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly config: BudgetConfig,
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient,
    private readonly clock: Clock,
    private readonly metrics: BudgetMetrics,
  ) {
    const tag = `{vod-budget:${config.name}}`;
    this.scheduleKey = `${tag}:tat`;
    this.membersKey = `${tag}:replicas`;
    this.spacing = slotSpacing(config.qpsLimit, config.margin);
    this.waiter = new SlotWaiter(
      clock,
      metrics,
      config.maxWaiters,
      this.spacing.latenessToleranceMs,
    );
    this.replicas = config.replicasHint;
    this.localShare = new SlotSchedule(this.shareInterval());
    redis.defineCommand('vodBudgetReserve', { numberOfKeys: 1, lua: RESERVE_SCRIPT });
    redis.defineCommand('vodBudgetBackOff', { numberOfKeys: 1, lua: BACK_OFF_SCRIPT });
    redis.defineCommand('vodBudgetHeartbeat', { numberOfKeys: 1, lua: HEARTBEAT_SCRIPT });
    this.commands = redis as unknown as ScheduleCommands;
    const disconnected = (): void => {
      this.sawDisconnect = true;
    };
    // A Cluster emits 'close' only when every node is gone; one master restarting shows as these.
    for (const event of ['close', '-node', 'node error']) {
      redis.on(event, disconnected);
    }
  }

  onModuleInit(): void {
    this.metrics.limit.set(this.config.qpsLimit);
    this.metrics.fallbackActive.set(0);
    this.metrics.replicas.set(this.replicas);
    void this.heartbeat();
    this.timers.push(
      setInterval(() => void this.heartbeat(), HEARTBEAT_INTERVAL_MS).unref(),
      setInterval(() => void this.probe(), PROBE_INTERVAL_MS).unref(),
    );
  }

  onApplicationShutdown(): void {
    this.timers.forEach(clearInterval);
    this.timers = [];
  }

  mode(): BudgetMode {
    if (!this.fallback) {
      return 'shared';
    }
    return this.config.onRedisError === 'deny' ? 'deny' : 'fallback';
  }

  async acquire(request: BudgetRequest): Promise<BudgetGrant> {
    const startedAt = this.clock.monotonic();
    if (!this.fallback && startedAt >= this.localUntil) {
      for (let attempt = 1; ; attempt += 1) {
        try {
          return await this.waiter.acquire(
            this.config.maxWaitMs - (this.clock.monotonic() - startedAt),
            request.deadline,
            'redis',
            (limit) => this.reserveShared(limit),
          );
        } catch (error) {
          if (!(error instanceof RedisUnavailable)) {
            throw error;
          }
          // A timeout can be our own pause (GC, CPU throttling) rather than Redis's: if Redis
          // answers a PING now, try once more instead of leaving the shared schedule.
          if (attempt > 1 || !(await this.redisAnswers())) {
            this.enterFallback(error.message);
            break;
          }
        }
      }
    }
    if (this.fallback && this.config.onRedisError === 'deny') {
      throw new BudgetUnavailableError();
    }
    // Time already spent on a failed shared attempt counts against the wait limit.
    const maxWaitMs = this.config.maxWaitMs - (this.clock.monotonic() - startedAt);
    return this.waiter.acquire(maxWaitMs, request.deadline, 'local', (limit) =>
      this.localShare.reserve(this.clock.monotonic(), limit),
    );
  }

  forfeit(grant: BudgetGrant): void {
    this.metrics.decided('forfeited', grant.source);
  }

  async backOff(ms: number): Promise<void> {
    this.localShare.startNoEarlierThan(this.clock.monotonic() + ms);
    if (!this.fallback) {
      await this.commands
        .vodBudgetBackOff(this.scheduleKey, Math.round(ms * 1000))
        .catch((error: Error) => this.countError(error));
    }
  }

  private async reserveShared(waitLimitMs: number): Promise<Reservation> {
    const sent = this.clock.monotonic();
    let granted: number;
    let delayUs: number;
    try {
      [granted, delayUs] = await this.commands.vodBudgetReserve(
        this.scheduleKey,
        Math.ceil(this.spacing.intervalMs * 1000),
        Math.floor(waitLimitMs * 1000),
        this.sawDisconnect ? Math.round(this.fenceMs() * 1000) : 0,
      );
    } catch (error) {
      this.countError(error as Error);
      throw new RedisUnavailable((error as Error).message);
    }
    this.sawDisconnect = false;
    const received = this.clock.monotonic();
    this.metrics.decisionDuration.observe((received - sent) / 1000);
    const delayMs = delayUs / 1000;
    return granted === 1
      ? { slotAt: sent + delayMs, wakeAt: received + delayMs }
      : { retryInMs: delayMs };
  }

  private async redisAnswers(): Promise<boolean> {
    try {
      return (await this.redis.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  private enterFallback(reason: string): void {
    if (this.fallback) {
      return;
    }
    this.fallback = true;
    this.metrics.fallbackActive.set(1);
    this.localShare.setInterval(this.shareInterval());
    // No shared slot was granted further ahead than VOD_MAX_WAIT_MS.
    this.localShare.startNoEarlierThan(
      this.clock.monotonic() + this.config.maxWaitMs + this.handOverGapMs(),
    );
    this.logger.warn(
      `shared budget unreachable (${reason}); ${this.config.onRedisError === 'deny' ? 'refusing calls' : `using a local share of 1/${this.replicas}`} until Redis is back`,
    );
  }

  /** While in fallback: when Redis answers again, fence the shared schedule and go back to it. */
  private async probe(): Promise<void> {
    if (!this.fallback || this.redis.status !== 'ready') {
      return;
    }
    const sent = this.clock.monotonic();
    try {
      await this.commands.vodBudgetBackOff(this.scheduleKey, Math.round(this.fenceMs() * 1000));
    } catch (error) {
      this.countError(error as Error);
      return;
    }
    this.localUntil = sent + REJOIN_SPREAD_MS;
    this.fallback = false;
    this.metrics.fallbackActive.set(0);
    this.logger.log('shared budget reachable again; rejoining after the hand-over fence');
  }

  private async heartbeat(): Promise<void> {
    if (this.redis.status !== 'ready') {
      return;
    }
    try {
      const alive = await this.commands.vodBudgetHeartbeat(
        this.membersKey,
        this.replicaId,
        REPLICA_ALIVE_MS * 1000,
      );
      this.replicas = Math.max(1, alive);
      this.metrics.replicas.set(this.replicas);
    } catch (error) {
      this.countError(error as Error);
    }
  }

  /**
   * Each replica's share is a whole number of calls per second: n independent schedules at
   * limit/n could each fit ceil(limit/n) calls into one window, together more than the limit.
   */
  private shareInterval(): number {
    const share = Math.max(1, Math.floor(this.config.qpsLimit / this.replicas));
    return slotSpacing(share, this.config.margin).intervalMs;
  }

  /**
   * Empty time between the last slot of one schedule and the first of the next at a hand-over:
   * a window straddling it may hold one call more than its share from each of the n + 1
   * schedules involved, so it must be at least that many slots long.
   */
  private handOverGapMs(): number {
    return ((this.replicas + 1) * 1000) / this.config.qpsLimit;
  }

  /** How far ahead a replica leaving fallback (or a lost schedule) restarts the shared one. */
  private fenceMs(): number {
    return this.config.maxWaitMs + REJOIN_SPREAD_MS + this.handOverGapMs();
  }

  private countError(error: Error): void {
    const kind = /timed? ?out/i.test(error.message)
      ? 'timeout'
      : /connect|closed|writable|ECONN|stream/i.test(error.message)
        ? 'connection'
        : 'other';
    this.metrics.redisErrors.inc({ kind });
  }
}
