import { Controller, Get, Header, HttpStatus, Inject, Res } from '@nestjs/common';
import { type FastifyReply } from 'fastify';
import { Public } from '../auth/public.decorator';
import { CACHE_STORE, type CacheStore } from '../cache/cache-store';
import { UPSTREAM_BUDGET, type UpstreamBudget } from '../rate-limit/upstream-budget';
import { VodCredentials } from '../vod/vod-credentials';

const CHECK_TIMEOUT_MS = 500;

export interface Readiness {
  status: 'ready' | 'not_ready';
  checks: {
    store: 'memory' | 'redis_up' | 'redis_down';
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
    const ready = store !== 'redis_down' && credentials === 'present';
    void reply.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return {
      status: ready ? 'ready' : 'not_ready',
      checks: { store, credentials, budget: this.budget.mode() },
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
