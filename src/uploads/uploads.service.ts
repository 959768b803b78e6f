import { Inject, Injectable, Logger } from '@nestjs/common';
import { CACHE_STORE, type CacheStore } from '../cache/cache-store';
import { CacheMetrics } from '../cache/cache.metrics';
import { CredentialCache } from '../cache/credential-cache';
import { SharedFlight } from '../cache/shared-flight';
import { Clock } from '../common/clock';
import { VodConfig } from '../config/app-config';
import { uploadAuthExpiry } from '../vod/upload-credential';
import { VodClient } from '../vod/vod.client';
import { VodBadResponseError, VodVideoNotFoundError } from '../vod/vod.errors';
import { type RefreshUploadResponse } from './refresh-upload.dto';

/** How long "this video does not exist" is remembered, so a flood for it spends no budget. */
const NOT_FOUND_TTL_MS = 5_000;

/**
 * Refreshes an upload credential for a caller already authorized for the video: a recent answer
 * from the cache, else one shared call to VOD through the budget. Videos VOD says do not exist
 * are remembered briefly.
 */
@Injectable()
export class UploadsService {
  private readonly logger = new Logger(UploadsService.name);

  constructor(
    private readonly vod: VodClient,
    private readonly vodConfig: VodConfig,
    @Inject(CACHE_STORE) private readonly store: CacheStore,
    private readonly credentials: CredentialCache,
    private readonly flights: SharedFlight,
    private readonly metrics: CacheMetrics,
    private readonly clock: Clock,
  ) {}

  async refresh(videoId: string): Promise<RefreshUploadResponse> {
    const cached = await this.credentials.get(videoId);
    if (cached !== undefined) {
      return cached;
    }
    const deadline = this.clock.now() + this.vodConfig.requestDeadlineMs;
    return this.flights.run(videoId, deadline, () => this.fromVod(videoId, deadline));
  }

  private async fromVod(videoId: string, deadline: number): Promise<RefreshUploadResponse> {
    if (await this.knownMissing(videoId)) {
      throw new VodVideoNotFoundError('The video does not exist.', 'negative cache hit');
    }
    let upload;
    try {
      upload = await this.vod.refreshUploadVideo(videoId, deadline);
    } catch (error) {
      if (error instanceof VodVideoNotFoundError) {
        await this.rememberMissing(videoId);
      }
      throw error;
    }
    const expiresAt = uploadAuthExpiry(upload.uploadAuth, new Date(this.clock.now()));
    if (expiresAt === undefined) {
      throw new VodBadResponseError(
        'VOD answered in an unexpected shape.',
        'UploadAuth holds no readable expiry',
        upload.requestId,
      );
    }
    return {
      videoId: upload.videoId,
      uploadAddress: upload.uploadAddress,
      uploadAuth: upload.uploadAuth,
      expiresAt: expiresAt.toISOString(),
      requestId: upload.requestId,
    };
  }

  private async knownMissing(videoId: string): Promise<boolean> {
    try {
      const missing = (await this.store.get(`missing:${videoId}`)) !== undefined;
      this.metrics.lookups.inc({ cache: 'missing_video', result: missing ? 'hit' : 'miss' });
      return missing;
    } catch (error) {
      this.metrics.lookups.inc({ cache: 'missing_video', result: 'error' });
      this.logger.warn(`negative cache read failed: ${(error as Error).message}`);
      return false;
    }
  }

  private async rememberMissing(videoId: string): Promise<void> {
    try {
      await this.store.set(`missing:${videoId}`, '1', NOT_FOUND_TTL_MS);
    } catch (error) {
      this.logger.warn(`negative cache write failed: ${(error as Error).message}`);
    }
  }
}
