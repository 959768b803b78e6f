import { Module } from '@nestjs/common';
import { RateLimitModule } from '../rate-limit/rate-limit.module';
import { SignatureNonce } from './signature-nonce';
import { VodClient } from './vod.client';
import { VodCredentials } from './vod-credentials';
import { VodMetrics } from './vod.metrics';

/** The signed gateway to ApsaraVideo VOD. */
@Module({
  imports: [RateLimitModule],
  providers: [VodClient, VodCredentials, SignatureNonce, VodMetrics],
  exports: [VodClient, VodCredentials],
})
export class VodModule {}
