import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { CacheModule } from '../cache/cache.module';
import { CallerThrottleModule } from '../caller-throttle/caller-throttle.module';
import { VodModule } from '../vod/vod.module';
import { UploadsController } from './uploads.controller';
import { UploadsService } from './uploads.service';

/** POST /uploads/:videoId/refresh. */
@Module({
  imports: [AuthModule, CacheModule, CallerThrottleModule, VodModule],
  controllers: [UploadsController],
  providers: [UploadsService],
})
export class UploadsModule {}
