import { AppError } from '../common/app-error';

/**
 * What can go wrong calling VOD, as typed errors with stable codes. `vodRequestId` is VOD's
 * RequestId when VOD answered, kept for the logs (support tickets with Alibaba need it).
 */
export abstract class VodError extends AppError {
  constructor(
    detail: string,
    logReason: string,
    readonly vodRequestId?: string,
  ) {
    super(detail, logReason);
  }
}

/** VOD: InvalidVideo.NotFound. */
export class VodVideoNotFoundError extends VodError {
  readonly status = 404;
  readonly code = 'InvalidVideo.NotFound';
  readonly title = 'Video not found';
}

/** VOD: InvalidVideo.Damaged (VOD answers 400; for our caller it is a conflict with the video's state). */
export class VodVideoDamagedError extends VodError {
  readonly status = 409;
  readonly code = 'InvalidVideo.Damaged';
  readonly title = 'Video damaged';
}

/** VOD refused the call for a reason the caller cannot fix (signature, permissions, quota). */
export class VodRejectedError extends VodError {
  readonly status = 502;
  readonly code = 'upstream.rejected';
  readonly title = 'Upstream rejected the call';
}

/** VOD answered with something that is not its JSON shape. */
export class VodBadResponseError extends VodError {
  readonly status = 502;
  readonly code = 'upstream.bad_response';
  readonly title = 'Upstream answered badly';
}

/** VOD could not be reached, answered 5xx, or kept throttling, after the retries we could afford. */
export class VodUnavailableError extends VodError {
  readonly status = 503;
  readonly code = 'upstream.unavailable';
  readonly title = 'Upstream unavailable';

  override headers(): Record<string, string> {
    return { 'retry-after': '1' };
  }
}

/** VOD did not answer within the timeout or the request's deadline. */
export class VodTimeoutError extends VodError {
  readonly status = 504;
  readonly code = 'upstream.timeout';
  readonly title = 'Upstream timeout';
}
