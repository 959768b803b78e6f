import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type FastifyRequest } from 'fastify';
import { UnauthenticatedError } from './auth.errors';
import { AuthMetrics } from './auth.metrics';
import { bearerToken } from './bearer-token';
import { JwtVerifier } from './jwt-verifier';
import { type WithPrincipal } from './principal';
import { IS_PUBLIC } from './public.decorator';

/** Global guard: every route needs a verified bearer token unless marked @Public(). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: JwtVerifier,
    private readonly metrics: AuthMetrics,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic === true) {
      return true;
    }
    const request = context.switchToHttp().getRequest<FastifyRequest & WithPrincipal>();
    const header = request.headers.authorization;
    const token = bearerToken(header);
    if (token === undefined) {
      const failure = header === undefined ? 'missing' : 'malformed';
      this.metrics.record(failure);
      throw new UnauthenticatedError(failure);
    }
    request.principal = await this.verifier.verify(token);
    return true;
  }
}
