import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard } from './auth.guard';
import { AuthMetrics } from './auth.metrics';
import { JwtVerifier } from './jwt-verifier';
import { VideoAccessGuard } from './video-access.guard';
import { ClaimVideoAccessPolicy, VIDEO_ACCESS_POLICY } from './video-access.policy';

/** Who is calling (JWT) and whether the video is theirs (policy). */
@Module({
  providers: [
    AuthMetrics,
    JwtVerifier,
    VideoAccessGuard,
    { provide: VIDEO_ACCESS_POLICY, useClass: ClaimVideoAccessPolicy },
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [VideoAccessGuard, VIDEO_ACCESS_POLICY, AuthMetrics],
})
export class AuthModule {}
