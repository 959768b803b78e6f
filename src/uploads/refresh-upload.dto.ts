import { Matches } from 'class-validator';

/** A VOD video id: 32 lowercase hexadecimal characters. */
export const VIDEO_ID_PATTERN = /^[0-9a-f]{32}$/;

export class RefreshUploadParams {
  @Matches(VIDEO_ID_PATTERN, { message: 'videoId must be 32 lowercase hexadecimal characters' })
  videoId!: string;
}

/** A fresh upload credential for the browser's upload SDK. */
export class RefreshUploadResponse {
  /** The video the credential is for. */
  videoId!: string;
  /** Base64 JSON (Endpoint, Bucket, FileName), exactly as VOD returned it. */
  uploadAddress!: string;
  /** Base64 JSON STS credential, exactly as VOD returned it. */
  uploadAuth!: string;
  /** When `uploadAuth` stops working, ISO 8601 UTC. */
  expiresAt!: string;
  /** VOD's RequestId for this credential (quote it to Alibaba support). */
  requestId!: string;
}
