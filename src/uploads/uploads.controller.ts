import { Controller, Header, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { VideoAccessGuard } from '../auth/video-access.guard';
import { CallerThrottleGuard } from '../caller-throttle/caller-throttle.guard';
import { RefreshUploadParams, type RefreshUploadResponse } from './refresh-upload.dto';
import { UploadsService } from './uploads.service';

/** The route template, also used by the early-rejection hook and in metrics labels. */
export const REFRESH_ROUTE = '/uploads/:videoId/refresh';

@Controller()
export class UploadsController {
  constructor(private readonly uploads: UploadsService) {}

  /** A fresh UploadAuth and UploadAddress for one of the caller's videos. */
  @Post(REFRESH_ROUTE)
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  @UseGuards(CallerThrottleGuard, VideoAccessGuard)
  refresh(@Param() params: RefreshUploadParams): Promise<RefreshUploadResponse> {
    return this.uploads.refresh(params.videoId);
  }
}
