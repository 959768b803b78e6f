import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export type BudgetDecision = 'granted' | 'rejected' | 'forfeited';

/** How the upstream budget decides: one counter per outcome, wait and lateness histograms. */
@Injectable()
export class BudgetMetrics {
  readonly decisions: Counter<'result' | 'source'>;
  readonly wait: Histogram;
  readonly lateness: Histogram;
  readonly waiters: Gauge;
  readonly limit: Gauge;
  readonly decisionDuration: Histogram;
  readonly redisErrors: Counter<'kind'>;
  readonly fallbackActive: Gauge;
  readonly replicas: Gauge;

  constructor(registry: Registry) {
    this.decisions = new Counter({
      name: 'vod_budget_decisions_total',
      help: 'Upstream budget decisions by result (granted, rejected, forfeited) and source (redis, local).',
      labelNames: ['result', 'source'],
      registers: [registry],
    });
    this.wait = new Histogram({
      name: 'vod_budget_wait_seconds',
      help: 'Time a granted call waited for its slot.',
      buckets: [0, 0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.4, 0.8, 1.6, 3.2],
      registers: [registry],
    });
    this.lateness = new Histogram({
      name: 'vod_budget_lateness_seconds',
      help: 'How late a waiter woke after its slot started (timer lateness, event-loop stalls).',
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.1],
      registers: [registry],
    });
    this.waiters = new Gauge({
      name: 'vod_budget_waiters',
      help: 'Requests of this replica waiting for a slot (the local backlog).',
      registers: [registry],
    });
    this.limit = new Gauge({
      name: 'vod_budget_limit_per_second',
      help: 'The configured account-wide budget of VOD calls per second.',
      registers: [registry],
    });
    this.decisionDuration = new Histogram({
      name: 'vod_budget_decision_duration_seconds',
      help: 'Round trip of one decision on the shared schedule in Redis.',
      buckets: [0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.1, 0.25],
      registers: [registry],
    });
    this.redisErrors = new Counter({
      name: 'vod_budget_redis_errors_total',
      help: 'Failed decisions on the shared schedule, by kind (timeout, connection, other).',
      labelNames: ['kind'],
      registers: [registry],
    });
    this.fallbackActive = new Gauge({
      name: 'vod_budget_fallback_active',
      help: '1 while this replica cannot use the shared schedule (local share or deny), else 0.',
      registers: [registry],
    });
    this.replicas = new Gauge({
      name: 'vod_budget_replicas',
      help: 'Replicas seen sharing the schedule; each takes 1/n of the budget during a Redis outage.',
      registers: [registry],
    });
  }

  decided(result: BudgetDecision, source: 'redis' | 'local'): void {
    this.decisions.inc({ result, source });
  }
}
