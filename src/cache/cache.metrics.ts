import { Injectable } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';

/** Cache lookups by result and refreshes that joined another's call to VOD. */
@Injectable()
export class CacheMetrics {
  readonly lookups: Counter<'cache' | 'result'>;
  readonly flightJoins: Counter<'scope'>;

  constructor(registry: Registry) {
    this.lookups = new Counter({
      name: 'vod_cache_lookups_total',
      help: 'Cache lookups by cache (credential, missing_video) and result (hit, miss, error).',
      labelNames: ['cache', 'result'],
      registers: [registry],
    });
    this.flightJoins = new Counter({
      name: 'vod_shared_flight_joins_total',
      help: 'Refreshes answered by a call to VOD another request made: in this replica (local) or another (remote).',
      labelNames: ['scope'],
      registers: [registry],
    });
  }
}
