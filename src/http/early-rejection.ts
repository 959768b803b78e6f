import { type FastifyReply, type FastifyRequest } from 'fastify';
import { UnauthenticatedError } from '../auth/auth.errors';
import { bearerToken } from '../auth/bearer-token';
import { problem, problemOf, sendProblem } from '../common/problem';
import { VIDEO_ID_PATTERN } from '../uploads/refresh-upload.dto';
import { REFRESH_ROUTE } from '../uploads/uploads.controller';

/**
 * Refuses plainly bad refresh requests in Fastify's onRequest hook, before Nest's pipeline runs:
 * no or malformed bearer token (401), then a malformed video id (400). The guard and the
 * ValidationPipe check the same again; this only makes a flood of junk cheap to refuse.
 * Returns the token failure it answered for (for metrics), 'bad_id', or undefined to go on.
 */
export function rejectPlainlyBad(
  request: FastifyRequest,
  reply: FastifyReply,
): 'missing' | 'malformed' | 'bad_id' | undefined {
  if (request.routeOptions.url !== REFRESH_ROUTE) {
    return undefined;
  }
  const header = request.headers.authorization;
  if (bearerToken(header) === undefined) {
    const error = new UnauthenticatedError(header === undefined ? 'missing' : 'malformed');
    sendProblem(reply, problemOf(error), error.headers());
    return error.failure === 'missing' ? 'missing' : 'malformed';
  }
  const { videoId } = request.params as { videoId?: string };
  if (videoId === undefined || !VIDEO_ID_PATTERN.test(videoId)) {
    sendProblem(
      reply,
      problem(
        400,
        'request.invalid',
        'Bad request',
        'videoId must be 32 lowercase hexadecimal characters',
      ),
    );
    return 'bad_id';
  }
  return undefined;
}
