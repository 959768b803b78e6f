import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export type VodOutcome =
  | 'success'
  | 'client_error'
  | 'throttled'
  | 'server_error'
  | 'network_error'
  | 'timeout'
  | 'bad_response';

/** VOD's codes we name in metrics; any other becomes `other`, so the label stays bounded. */
const KNOWN_CODES = new Set([
  'InvalidVideo.NotFound',
  'InvalidVideo.Damaged',
  'Throttling',
  'Throttling.User',
  'Throttling.Api',
  'ServiceUnavailable',
  'InternalError',
  'SignatureDoesNotMatch',
  'SignatureNonceUsed',
  'InvalidTimeStamp.Expired',
  'InvalidAccessKeyId.NotFound',
  'InvalidSecurityToken.Expired',
  'InvalidSecurityToken.Malformed',
  'Forbidden.RAM',
  'MissingParameter',
]);

/** One attempt at VOD per observation: retries are counted one by one. */
@Injectable()
export class VodMetrics {
  readonly requests: Counter<'action' | 'outcome' | 'code'>;
  readonly duration: Histogram<'action' | 'outcome'>;
  readonly retries: Counter<'action'>;
  readonly inFlight: Gauge<'action'>;
  readonly throttled: Counter<'code'>;

  constructor(registry: Registry) {
    this.requests = new Counter({
      name: 'vod_requests_total',
      help: 'Calls to VOD by action, outcome and VOD error code (none on success).',
      labelNames: ['action', 'outcome', 'code'],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'vod_request_duration_seconds',
      help: 'Duration of one call to VOD, by action and outcome.',
      labelNames: ['action', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
    this.retries = new Counter({
      name: 'vod_retries_total',
      help: 'Calls to VOD that were retries of a failed attempt.',
      labelNames: ['action'],
      registers: [registry],
    });
    this.inFlight = new Gauge({
      name: 'vod_requests_in_flight',
      help: 'Calls to VOD sent and not yet answered.',
      labelNames: ['action'],
      registers: [registry],
    });
    this.throttled = new Counter({
      name: 'vod_throttling_responses_total',
      help: 'Throttling* answers from VOD. Must stay 0: anything else means the budget is wrong or another caller shares the account.',
      labelNames: ['code'],
      registers: [registry],
    });
  }

  observe(action: string, outcome: VodOutcome, code: string | undefined, seconds: number): void {
    const boundedCode = code === undefined ? 'none' : KNOWN_CODES.has(code) ? code : 'other';
    this.requests.inc({ action, outcome, code: boundedCode });
    this.duration.observe({ action, outcome }, seconds);
    if (outcome === 'throttled') {
      this.throttled.inc({ code: boundedCode });
    }
  }
}
