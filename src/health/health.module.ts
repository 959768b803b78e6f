import { Module } from '@nestjs/common';
import { CacheModule } from '../cache/cache.module';
import { RateLimitModule } from '../rate-limit/rate-limit.module';
import { VodModule } from '../vod/vod.module';
import { HealthController } from './health.controller';
import { ShutdownState } from './shutdown-state';

/** GET /healthz and GET /readyz. */
@Module({
  imports: [CacheModule, RateLimitModule, VodModule],
  controllers: [HealthController],
  providers: [ShutdownState],
  exports: [ShutdownState],
})
export class HealthModule {}
