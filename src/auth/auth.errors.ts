import { AppError } from '../common/app-error';

/** Why a token was refused: for logs and metrics only, never for the caller. */
export type TokenFailure =
  | 'missing'
  | 'malformed'
  | 'expired'
  | 'not_yet_valid'
  | 'bad_signature'
  | 'bad_claims'
  | 'jwks_unavailable';

/** 401: the same answer whatever the failure, so a caller learns nothing about our checks. */
export class UnauthenticatedError extends AppError {
  readonly status = 401;
  readonly code = 'auth.unauthenticated';
  readonly title = 'Unauthorized';

  constructor(readonly failure: TokenFailure) {
    super('A valid bearer token is required.', `token ${failure}`);
  }

  override headers(): Record<string, string> {
    return {
      'www-authenticate':
        this.failure === 'missing'
          ? 'Bearer realm="vod-upload-refresh"'
          : 'Bearer realm="vod-upload-refresh", error="invalid_token"',
    };
  }
}

/** 403: a valid caller asking for a video that is not theirs. */
export class VideoForbiddenError extends AppError {
  readonly status = 403;
  readonly code = 'auth.forbidden';
  readonly title = 'Forbidden';

  constructor(subject: string) {
    super('This video is not yours to refresh.', `subject ${subject} may not refresh this video`);
  }
}
