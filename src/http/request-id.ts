import { randomUUID } from 'node:crypto';
import { type IncomingMessage } from 'node:http';

const WELL_FORMED = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's X-Request-Id when it is well-formed (so it is safe to log), else a new UUID. */
export function requestIdOf(request: IncomingMessage): string {
  const offered = request.headers['x-request-id'];
  return typeof offered === 'string' && WELL_FORMED.test(offered) ? offered : randomUUID();
}
