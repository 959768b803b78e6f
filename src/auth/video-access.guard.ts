import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { type FastifyRequest } from 'fastify';
import { UnauthenticatedError, VideoForbiddenError } from './auth.errors';
import { type WithPrincipal } from './principal';
import { VIDEO_ACCESS_POLICY, type VideoAccessPolicy } from './video-access.policy';

/** After AuthGuard: the `:videoId` in the path must be one the caller may refresh, else 403. */
@Injectable()
export class VideoAccessGuard implements CanActivate {
  constructor(@Inject(VIDEO_ACCESS_POLICY) private readonly policy: VideoAccessPolicy) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context
      .switchToHttp()
      .getRequest<FastifyRequest<{ Params: { videoId?: string } }> & WithPrincipal>();
    const { principal } = request;
    if (principal === undefined) {
      throw new UnauthenticatedError('missing');
    }
    const videoId = request.params.videoId ?? '';
    if (!(await this.policy.canRefresh(principal, videoId))) {
      throw new VideoForbiddenError(principal.subject);
    }
    return true;
  }
}
