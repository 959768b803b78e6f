import { Module } from '@nestjs/common';
import { CacheModule } from '../cache/cache.module';
import { RateLimitModule } from '../rate-limit/rate-limit.module';
import { VodModule } from '../vod/vod.module';
import { HealthController } from './health.controller';

/** GET /healthz and GET /readyz. */
@Module({
  imports: [CacheModule, RateLimitModule, VodModule],
  controllers: [HealthController],
})
export class HealthModule {}
