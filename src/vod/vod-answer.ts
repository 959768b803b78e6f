import {
  VodBadResponseError,
  VodRejectedError,
  VodTimeoutError,
  VodUnavailableError,
  VodVideoDamagedError,
  VodVideoNotFoundError,
  type VodError,
} from './vod.errors';
import { type VodOutcome } from './vod.metrics';

/** What one attempt at VOD came to, and whether trying again is safe and useful. */
export type VodAnswer =
  | { readonly kind: 'ok'; readonly body: Readonly<Record<string, unknown>> }
  | {
      readonly kind: 'error';
      readonly error: VodError;
      readonly outcome: Exclude<VodOutcome, 'success'>;
      readonly code: string | undefined;
      readonly retryable: boolean;
    };

const SERVER_SIDE_CODES = new Set(['ServiceUnavailable', 'InternalError', 'UnknownError']);

/** Classifies VOD's HTTP answer. VOD's `Code` decides, whatever the HTTP status says. */
export function classifyVodAnswer(status: number, text: string): VodAnswer {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return status >= 500
      ? serverError(status, undefined, undefined)
      : badResponse(`HTTP ${status} with a body that is not JSON`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return badResponse(`HTTP ${status} with JSON that is not an object`);
  }
  const record = body as Record<string, unknown>;
  const requestId = typeof record.RequestId === 'string' ? record.RequestId : undefined;
  const code = typeof record.Code === 'string' ? record.Code : undefined;
  if (status >= 200 && status < 300 && code === undefined) {
    return { kind: 'ok', body: record };
  }
  const reason = `VOD ${code ?? 'no code'} (HTTP ${status}, RequestId ${requestId ?? 'none'})`;
  if (code === 'InvalidVideo.NotFound') {
    return final(new VodVideoNotFoundError('The video does not exist.', reason, requestId), code);
  }
  if (code === 'InvalidVideo.Damaged') {
    return final(
      new VodVideoDamagedError(
        'The video is damaged and cannot be uploaded to.',
        reason,
        requestId,
      ),
      code,
    );
  }
  if (code?.startsWith('Throttling') === true) {
    return {
      kind: 'error',
      error: new VodUnavailableError('VOD is throttling calls; retry shortly.', reason, requestId),
      outcome: 'throttled',
      code,
      retryable: true,
    };
  }
  if (status >= 500 || (code !== undefined && SERVER_SIDE_CODES.has(code))) {
    return serverError(status, code, requestId);
  }
  return {
    kind: 'error',
    error: new VodRejectedError('VOD refused the call.', reason, requestId),
    outcome: 'client_error',
    code,
    retryable: false,
  };
}

/** A failure below HTTP: timeouts are final (the time is spent), connection failures are retried. */
export function classifyTransportError(error: unknown, timedOut: boolean): VodAnswer {
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  if (timedOut) {
    return {
      kind: 'error',
      error: new VodTimeoutError('VOD did not answer in time.', `timeout: ${detail}`),
      outcome: 'timeout',
      code: undefined,
      retryable: false,
    };
  }
  return {
    kind: 'error',
    error: new VodUnavailableError('VOD could not be reached.', `network: ${detail}`),
    outcome: 'network_error',
    code: undefined,
    retryable: true,
  };
}

export function badResponse(reason: string, requestId?: string): VodAnswer {
  return {
    kind: 'error',
    error: new VodBadResponseError('VOD answered in an unexpected shape.', reason, requestId),
    outcome: 'bad_response',
    code: undefined,
    retryable: false,
  };
}

function serverError(status: number, code: string | undefined, requestId?: string): VodAnswer {
  return {
    kind: 'error',
    error: new VodUnavailableError(
      'VOD is unavailable; retry shortly.',
      `VOD ${code ?? 'no code'} (HTTP ${status}, RequestId ${requestId ?? 'none'})`,
      requestId,
    ),
    outcome: 'server_error',
    code,
    retryable: true,
  };
}

function final(error: VodError, code: string): VodAnswer {
  return { kind: 'error', error, outcome: 'client_error', code, retryable: false };
}
