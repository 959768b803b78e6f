import { Injectable } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';
import { type TokenFailure } from './auth.errors';

/** Token verification outcomes: `ok` or the failure kind. */
@Injectable()
export class AuthMetrics {
  readonly verifications: Counter<'outcome'>;

  constructor(registry: Registry) {
    this.verifications = new Counter({
      name: 'auth_jwt_verifications_total',
      help: 'Bearer tokens checked, by outcome (ok, missing, malformed, expired, not_yet_valid, bad_signature, bad_claims, jwks_unavailable).',
      labelNames: ['outcome'],
      registers: [registry],
    });
  }

  record(outcome: TokenFailure | 'ok'): void {
    this.verifications.inc({ outcome });
  }
}
