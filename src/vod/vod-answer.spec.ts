import { classifyTransportError, classifyVodAnswer } from './vod-answer';
import {
  VodBadResponseError,
  VodRejectedError,
  VodTimeoutError,
  VodUnavailableError,
  VodVideoDamagedError,
  VodVideoNotFoundError,
} from './vod.errors';

const vodError = (code: string): string =>
  JSON.stringify({ RequestId: 'REQ-1', Code: code, Message: 'm', HostId: 'vod' });

describe('classifyVodAnswer', () => {
  it('passes a 200 JSON body through', () => {
    const answer = classifyVodAnswer(200, JSON.stringify({ RequestId: 'R', UploadAuth: 'a' }));

    expect(answer).toEqual({ kind: 'ok', body: { RequestId: 'R', UploadAuth: 'a' } });
  });

  it.each([
    ['InvalidVideo.NotFound', 404, VodVideoNotFoundError, 404, false],
    ['InvalidVideo.Damaged', 400, VodVideoDamagedError, 409, false],
    ['SignatureDoesNotMatch', 400, VodRejectedError, 502, false],
    ['Forbidden.RAM', 403, VodRejectedError, 502, false],
    ['Throttling.User', 400, VodUnavailableError, 503, true],
    ['Throttling', 503, VodUnavailableError, 503, true],
    ['ServiceUnavailable', 503, VodUnavailableError, 503, true],
    ['InternalError', 500, VodUnavailableError, 503, true],
  ] as const)(
    'maps VOD %s (HTTP %d) to %p answered with %d, retryable %p',
    (code, status, type, ourStatus, retryable) => {
      const answer = classifyVodAnswer(status, vodError(code));

      expect(answer.kind).toBe('error');
      if (answer.kind === 'error') {
        expect(answer.error).toBeInstanceOf(type);
        expect(answer.error.status).toBe(ourStatus);
        expect(answer.retryable).toBe(retryable);
        expect(answer.error.vodRequestId).toBe('REQ-1');
      }
    },
  );

  it('marks Throttling answers as throttled so the budget backs off', () => {
    expect(classifyVodAnswer(400, vodError('Throttling.Api'))).toMatchObject({
      outcome: 'throttled',
    });
  });

  it('treats a body that is not JSON as a bad response, not retried', () => {
    const answer = classifyVodAnswer(200, '<html>oops</html>');

    expect(answer).toMatchObject({ kind: 'error', outcome: 'bad_response', retryable: false });
    expect(answer.kind === 'error' && answer.error).toBeInstanceOf(VodBadResponseError);
  });

  it('treats a 5xx with an HTML body as a retryable server error', () => {
    expect(classifyVodAnswer(502, '<html>bad gateway</html>')).toMatchObject({
      outcome: 'server_error',
      retryable: true,
    });
  });

  it('treats a truncated JSON body as a bad response', () => {
    expect(classifyVodAnswer(200, '{"RequestId":"abc')).toMatchObject({ outcome: 'bad_response' });
  });
});

describe('classifyTransportError', () => {
  it('makes a timeout final (504) and a connection failure retryable (503)', () => {
    const timeout = classifyTransportError(new Error('headers timeout'), true);
    const refused = classifyTransportError(new Error('ECONNREFUSED'), false);

    expect(timeout).toMatchObject({ outcome: 'timeout', retryable: false });
    expect(timeout.kind === 'error' && timeout.error).toBeInstanceOf(VodTimeoutError);
    expect(refused).toMatchObject({ outcome: 'network_error', retryable: true });
    expect(refused.kind === 'error' && refused.error.status).toBe(503);
  });
});
