import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import { type WithPrincipal } from '../auth/principal';

/**
 * @nestjs/throttler's guard keyed by the verified caller (`sub`), so one user cannot drain the
 * account's shared budget. Runs after authentication and before anything touches VOD.
 */
@Injectable()
export class CallerThrottleGuard extends ThrottlerGuard {
  protected override getTracker(request: WithPrincipal & { ip?: string }): Promise<string> {
    return Promise.resolve(request.principal?.subject ?? `ip:${request.ip ?? 'unknown'}`);
  }
}
