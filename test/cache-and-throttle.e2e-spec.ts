import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { RedisServer } from './support/redis-server';
import { startService, startUpstream, videoId, type TestService } from './support/service';

const VIDEO = videoId(0xcafe);
const OTHER = videoId(0xbeef);

async function refresh(service: TestService, id: string, token: string): Promise<request.Response> {
  return request(service.app.getHttpServer())
    .post(`/uploads/${id}/refresh`)
    .set('authorization', `Bearer ${token}`);
}

describe('the credential cache and shared flights', () => {
  it('answers repeats and concurrent refreshes in one replica with one VOD call', async () => {
    const service = await startService();
    service.emulator.addVideo(VIDEO);
    const token = await service.token([VIDEO]);

    const concurrent = await Promise.all([1, 2, 3, 4].map(() => refresh(service, VIDEO, token)));
    const later = await refresh(service, VIDEO, token);

    expect(new Set([...concurrent, later].map((r) => r.body.uploadAuth)).size).toBe(1);
    expect(service.emulator.stats().accepted).toBe(1);
    await service.close();
  });

  it('serves a cached credential only to a caller authorized for the video', async () => {
    const service = await startService();
    service.emulator.addVideo(VIDEO);
    await refresh(service, VIDEO, await service.token([VIDEO]));

    const stranger = await refresh(service, VIDEO, await service.token([OTHER]));

    expect(stranger.status).toBe(403);
    expect(JSON.stringify(stranger.body)).not.toContain('uploadAuth');
    await service.close();
  });

  describe('across replicas sharing Redis', () => {
    let redis: RedisServer;
    let inspect: Redis;

    beforeAll(async () => {
      redis = await RedisServer.start();
      inspect = new Redis(redis.url);
    });

    afterAll(async () => {
      inspect.disconnect();
      await redis.stop();
    });

    beforeEach(async () => {
      await inspect.flushall();
    });

    it('shares one VOD call and keeps the credential encrypted in Redis', async () => {
      const upstream = await startUpstream();
      upstream.emulator.addVideo(VIDEO);
      const env = {
        REDIS_URL: redis.url,
        CACHE_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      };
      const a = await startService({ upstream, env });
      const b = await startService({ upstream, env });
      const token = await a.token([VIDEO]);

      const answers = await Promise.all(
        [a, b, a, b].map((replica) => refresh(replica, VIDEO, token)),
      );

      expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200]);
      expect(new Set(answers.map((r) => r.body.uploadAuth)).size).toBe(1);
      expect(upstream.emulator.stats().accepted).toBe(1);
      const stored = await Promise.all(
        (await inspect.keys('vod-refresh:*:cache:credential:*')).map((key) => inspect.get(key)),
      );
      expect(stored).toHaveLength(1);
      expect(stored[0]).not.toContain(answers[0]!.body.uploadAuth);
      expect(stored[0]).not.toContain('uploadAuth');
      await Promise.all([a.close(), b.close()]);
      await upstream.emulator.stop();
    });

    it('writes no credential to Redis without an encryption key', async () => {
      const upstream = await startUpstream();
      upstream.emulator.addVideo(VIDEO);
      const a = await startService({ upstream, env: { REDIS_URL: redis.url } });
      const token = await a.token([VIDEO]);

      const first = await refresh(a, VIDEO, token);
      const again = await refresh(a, VIDEO, token);

      expect(again.body.uploadAuth).toBe(first.body.uploadAuth);
      const values = await Promise.all(
        (await inspect.keys('*')).map((key) =>
          inspect.type(key).then((type) => (type === 'string' ? inspect.get(key) : '')),
        ),
      );
      expect(values.join('\n')).not.toContain(first.body.uploadAuth);
      expect(await inspect.keys('vod-refresh:*:cache:credential:*')).toEqual([]);
      await a.close();
      await upstream.emulator.stop();
    });
  });
});

describe('per-caller throttling', () => {
  it('refuses a caller past its limit with 429 and Retry-After, before touching VOD', async () => {
    const service = await startService({
      env: { CALLER_RATE_LIMIT: '3', CALLER_RATE_WINDOW_S: '1', CREDENTIAL_CACHE_TTL_MS: '0' },
    });
    service.emulator.addVideo(VIDEO);
    const token = await service.token([VIDEO]);

    const statuses = [];
    for (let i = 0; i < 5; i += 1) {
      statuses.push((await refresh(service, VIDEO, token)).status);
    }
    const refused = await refresh(service, VIDEO, token);

    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(refused.headers['content-type']).toMatch(/problem\+json/);
    expect(refused.body.code).toBe('caller.throttled');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(service.emulator.stats().accepted).toBe(3);
    await service.close();
  });

  it('lets a caller back in after the block, however hard it kept knocking', async () => {
    const redis = await RedisServer.start();
    const service = await startService({
      env: {
        CALLER_RATE_LIMIT: '2',
        CALLER_RATE_WINDOW_S: '1',
        CREDENTIAL_CACHE_TTL_MS: '0',
        REDIS_URL: redis.url,
      },
    });
    service.emulator.addVideo(VIDEO);
    const token = await service.token([VIDEO]);
    for (let i = 0; i < 3; i += 1) {
      await refresh(service, VIDEO, token);
    }

    const knockUntil = Date.now() + 900;
    while (Date.now() < knockUntil) {
      expect((await refresh(service, VIDEO, token)).status).toBe(429);
    }
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect((await refresh(service, VIDEO, token)).status).toBe(200);
    await service.close();
    await redis.stop();
  });

  it('counts each caller apart', async () => {
    const service = await startService({
      env: { CALLER_RATE_LIMIT: '1', CALLER_RATE_WINDOW_S: '60', CREDENTIAL_CACHE_TTL_MS: '0' },
    });
    service.emulator.addVideo(VIDEO);
    const alice = await service.token([VIDEO], (jwt) => jwt.setSubject('alice'));
    const bob = await service.token([VIDEO], (jwt) => jwt.setSubject('bob'));

    expect((await refresh(service, VIDEO, alice)).status).toBe(200);
    expect((await refresh(service, VIDEO, alice)).status).toBe(429);
    expect((await refresh(service, VIDEO, bob)).status).toBe(200);
    await service.close();
  });
});
