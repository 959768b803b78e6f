import { Controller, Get, Header, HttpStatus, Inject, Res } from '@nestjs/common';
import { type FastifyReply } from 'fastify';
import { Public } from '../auth/public.decorator';
import { CACHE_STORE, type CacheStore } from '../cache/cache-store';
import { BudgetConfig } from '../config/app-config';
import { UPSTREAM_BUDGET, type UpstreamBudget } from '../rate-limit/upstream-budget';
import { VodCredentials } from '../vod/vod-credentials';
import { ShutdownState } from './shutdown-state';

const CHECK_TIMEOUT_MS = 500;

export interface Readiness {
  /** `degraded`: serving, but on a local share of the budget because Redis is unreachable. */
  status: 'ready' | 'degraded' | 'not_ready';
  checks: {
    store: 'memory' | 'redis_up' | 'redis_down';
    draining: boolean;
    credentials: 'present' | 'missing';
    budget: string;
  };
}

/** Liveness (nothing external) and readiness (store reachable, credentials present). */
@Public()
@Controller()
export class HealthController {
  constructor(
    @Inject(CACHE_STORE) private readonly store: CacheStore,
    @Inject(UPSTREAM_BUDGET) private readonly budget: UpstreamBudget,
    private readonly credentials: VodCredentials,
    private readonly budgetConfig: BudgetConfig,
    private readonly shutdown: ShutdownState,
  ) {}

  @Get('healthz')
  @Header('cache-control', 'no-store')
  healthz(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('readyz')
  @Header('cache-control', 'no-store')
  async readyz(@Res({ passthrough: true }) reply: FastifyReply): Promise<Readiness> {
    const [store, credentials] = await Promise.all([this.checkStore(), this.checkCredentials()]);
    const budget = this.budget.mode();
    // Without Redis a replica still serves on its local share of the budget, so it stays in
    // rotation (taking every replica out at once would turn a Redis outage into a full one);
    // only when the operator chose `deny` does a Redis outage make it not ready.
    const denies = this.budgetConfig.onRedisError === 'deny' && store !== 'memory';
    const ready =
      !this.shutdown.draining && credentials === 'present' && !(store === 'redis_down' && denies);
    const degraded = store === 'redis_down' || budget === 'fallback';
    void reply.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return {
      status: !ready ? 'not_ready' : degraded ? 'degraded' : 'ready',
      checks: { store, credentials, budget, draining: this.shutdown.draining },
    };
  }

  private async checkStore(): Promise<Readiness['checks']['store']> {
    if (this.store.kind === 'memory') {
      return 'memory';
    }
    try {
      await withTimeout(this.store.ping(), CHECK_TIMEOUT_MS);
      return 'redis_up';
    } catch {
      return 'redis_down';
    }
  }

  private async checkCredentials(): Promise<Readiness['checks']['credentials']> {
    try {
      await withTimeout(this.credentials.resolve(), CHECK_TIMEOUT_MS);
      return 'present';
    } catch {
      return 'missing';
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
