import { Injectable } from '@nestjs/common';
import { type Principal } from './principal';

/**
 * Decides whether a caller may refresh a video's upload credential. An interface so that an
 * ownership store (a database of who uploaded what) can stand beside, or replace, the claim.
 */
export interface VideoAccessPolicy {
  canRefresh(principal: Principal, videoId: string): Promise<boolean>;
}

export const VIDEO_ACCESS_POLICY = Symbol('VideoAccessPolicy');

/** The token's `vod_video_ids` claim lists the caller's videos; exact, case-sensitive match. */
@Injectable()
export class ClaimVideoAccessPolicy implements VideoAccessPolicy {
  canRefresh(principal: Principal, videoId: string): Promise<boolean> {
    return Promise.resolve(principal.videoIds.includes(videoId));
  }
}
