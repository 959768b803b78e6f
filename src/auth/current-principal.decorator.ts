import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { type FastifyRequest } from 'fastify';
import { UnauthenticatedError } from './auth.errors';
import { type Principal, type WithPrincipal } from './principal';

/** The verified caller of a guarded route. */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal => {
    const principal = context.switchToHttp().getRequest<FastifyRequest & WithPrincipal>().principal;
    if (principal === undefined) {
      throw new UnauthenticatedError('missing');
    }
    return principal;
  },
);
