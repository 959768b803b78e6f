import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { startService, videoId, type TestService } from './support/service';

const MINE = videoId(1);
const DAMAGED = videoId(2);
const MISSING = videoId(3);
const THEIRS = videoId(4);

function expectProblem(response: request.Response, status: number, code: string): void {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({ status, code });
  expect(typeof response.body.type).toBe('string');
  expect(typeof response.body.title).toBe('string');
  expect(typeof response.body.detail).toBe('string');
  expect(JSON.stringify(response.body)).not.toMatch(/at .*\.(js|ts):\d+/);
}

describe('POST /uploads/:videoId/refresh', () => {
  let service: TestService;
  const refresh = (id: string, token?: string): request.Test => {
    const call = request(service.app.getHttpServer()).post(`/uploads/${id}/refresh`);
    return token === undefined ? call : call.set('authorization', `Bearer ${token}`);
  };

  beforeAll(async () => {
    service = await startService({ env: { CREDENTIAL_CACHE_TTL_MS: '0' } });
    service.emulator.addVideo(MINE);
    service.emulator.addVideo(DAMAGED, 'damaged');
    service.emulator.addVideo(THEIRS);
  });

  afterAll(async () => {
    await service.close();
  });

  beforeEach(() => {
    service.emulator.clearFaults();
  });

  it('answers 200 with a fresh credential, as VOD issued it, and no-store', async () => {
    const response = await refresh(MINE, await service.token([MINE]));

    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(Object.keys(response.body).sort()).toEqual(
      ['expiresAt', 'requestId', 'uploadAddress', 'uploadAuth', 'videoId'].sort(),
    );
    expect(response.body.videoId).toBe(MINE);
    const auth = JSON.parse(Buffer.from(response.body.uploadAuth, 'base64').toString());
    expect(response.body.expiresAt).toBe(new Date(auth.ExpireUTCTime).toISOString());
    expect(response.body.requestId).toMatch(/^[0-9A-F-]{36}$/);
    expect(response.headers['x-request-id']).toBeDefined();
  });

  it('answers 401 with WWW-Authenticate when there is no token', async () => {
    const response = await refresh(MINE);

    expectProblem(response, 401, 'auth.unauthenticated');
    expect(response.headers['www-authenticate']).toMatch(/^Bearer /);
  });

  it('answers 401 for an expired token, without saying why', async () => {
    const expired = await service.token([MINE], (jwt) =>
      jwt.setExpirationTime(Math.floor(Date.now() / 1000) - 3600),
    );

    const response = await refresh(MINE, expired);

    expectProblem(response, 401, 'auth.unauthenticated');
    expect(response.headers['www-authenticate']).toContain('invalid_token');
    expect(JSON.stringify(response.body)).not.toMatch(/expire/i);
  });

  it('answers 401 for a token signed with another secret', async () => {
    const [header, payload] = (await service.token([MINE])).split('.');

    expectProblem(await refresh(MINE, `${header}.${payload}.AAAA`), 401, 'auth.unauthenticated');
  });

  it("answers 403 for another user's video and does not call VOD", async () => {
    service.emulator.resetStats();

    const response = await refresh(THEIRS, await service.token([MINE]));

    expectProblem(response, 403, 'auth.forbidden');
    expect(service.emulator.stats().accepted).toBe(0);
  });

  it('answers 400 for a malformed video id', async () => {
    const token = await service.token([MINE]);

    for (const bad of ['XYZ', MINE.toUpperCase(), `${MINE}0`, '..%2F..%2Fetc']) {
      const response = await refresh(bad, token);
      expect({ bad, status: response.status }).toEqual({ bad, status: 400 });
      expectProblem(response, 400, 'request.invalid');
    }
  });

  it('answers 404 InvalidVideo.NotFound, then remembers it briefly without calling VOD', async () => {
    const token = await service.token([MISSING]);
    service.emulator.resetStats();

    expectProblem(await refresh(MISSING, token), 404, 'InvalidVideo.NotFound');
    expectProblem(await refresh(MISSING, token), 404, 'InvalidVideo.NotFound');

    expect(service.emulator.stats().accepted).toBe(1);
  });

  it('answers 409 InvalidVideo.Damaged', async () => {
    expectProblem(
      await refresh(DAMAGED, await service.token([DAMAGED])),
      409,
      'InvalidVideo.Damaged',
    );
  });

  it('retries a 5xx with a fresh signature and succeeds', async () => {
    service.emulator.injectFault('server_error', 1);
    service.emulator.resetStats();

    const response = await refresh(MINE, await service.token([MINE]));

    expect(response.status).toBe(200);
    // Both attempts passed the emulator's nonce check: the retry was signed anew.
    expect(service.emulator.stats().answers).toMatchObject({ ServiceUnavailable: 1, OK: 1 });
  });

  it('answers 503 with Retry-After when VOD keeps failing', async () => {
    service.emulator.injectFault('server_error', 5);

    const response = await refresh(MINE, await service.token([MINE]));

    expectProblem(response, 503, 'upstream.unavailable');
    expect(response.headers['retry-after']).toBe('1');
  });

  it('retries a dropped connection', async () => {
    service.emulator.injectFault('reset', 1);

    expect((await refresh(MINE, await service.token([MINE]))).status).toBe(200);
  });

  it('answers 504 when VOD does not answer within VOD_TIMEOUT_MS', async () => {
    service.emulator.injectFault('slow', 1, 800);

    expectProblem(await refresh(MINE, await service.token([MINE])), 504, 'upstream.timeout');
  });

  it('answers 502 when VOD answers with something that is not its JSON', async () => {
    service.emulator.injectFault('garbage', 1);

    expectProblem(await refresh(MINE, await service.token([MINE])), 502, 'upstream.bad_response');
  });

  it('answers a preflight from an allowed origin and withholds CORS from others', async () => {
    const preflight = (origin: string): request.Test =>
      request(service.app.getHttpServer())
        .options(`/uploads/${MINE}/refresh`)
        .set('origin', origin)
        .set('access-control-request-method', 'POST')
        .set('access-control-request-headers', 'authorization');

    const allowed = await preflight('https://app.example.com');
    const denied = await preflight('https://evil.example.com');

    expect(allowed.status).toBeLessThan(300);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(allowed.headers['access-control-allow-headers']).toContain('authorization');
    expect(denied.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('sends security headers', async () => {
    const response = await refresh(MINE);

    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['strict-transport-security']).toBeDefined();
  });

  it('answers 404 problem+json for an unknown route and for a differently cased one', async () => {
    expectProblem(await request(service.app.getHttpServer()).get('/nope'), 404, 'route.not_found');
    expectProblem(
      await request(service.app.getHttpServer())
        .post(`/Uploads/${MINE}/refresh`)
        .set('authorization', `Bearer ${await service.token([MINE])}`),
      404,
      'route.not_found',
    );
  });

  it('answers 413 problem+json for an oversized body', async () => {
    const response = await refresh(MINE, await service.token([MINE]))
      .set('content-type', 'application/json')
      .send(JSON.stringify({ pad: 'x'.repeat(64 * 1024) }));

    expectProblem(response, 413, 'request.rejected');
  });

  it('reports liveness and readiness', async () => {
    const server = service.app.getHttpServer();

    expect((await request(server).get('/healthz')).body).toEqual({ status: 'ok' });
    expect((await request(server).get('/readyz')).body).toEqual({
      status: 'ready',
      checks: { store: 'memory', credentials: 'present', budget: 'local', draining: false },
    });
  });

  it('serves metrics that promtool accepts, labelled by route template', async () => {
    const body = await (await fetch(`http://127.0.0.1:${service.metricsPort}/metrics`)).text();

    expect(body).toContain(
      'http_requests_total{route="/uploads/:videoId/refresh",method="POST",status="200"}',
    );
    expect(body).toMatch(
      /vod_requests_total\{action="RefreshUploadVideo",outcome="success",code="none"\} \d+/,
    );
    expect(body).not.toContain(MINE);
    const file = join(mkdtempSync(join(tmpdir(), 'metrics-')), 'metrics.txt');
    writeFileSync(file, body);
    expect(() => execFileSync('sh', ['-c', `promtool check metrics < ${file}`])).not.toThrow();
  });

  it('never writes the AccessKey secret, a token or an issued credential to its logs', async () => {
    const token = await service.token([MINE]);
    const issued = await refresh(MINE, token);
    const logs = service.logger.lines.join('\n');

    expect(logs.length).toBeGreaterThan(0);
    expect(logs).not.toContain(service.accessKeySecret);
    expect(logs).not.toContain(service.jwtSecret);
    expect(logs).not.toContain(token);
    expect(logs).not.toContain(issued.body.uploadAuth);
  });
});
