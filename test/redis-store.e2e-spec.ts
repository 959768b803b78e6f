import request from 'supertest';
import { RedisServer } from './support/redis-server';
import { startService, videoId, type TestService } from './support/service';

const MISSING = videoId(0xdead);

describe('with REDIS_URL set (a private redis-server)', () => {
  let redis: RedisServer;
  let first: TestService;
  let second: TestService;

  beforeAll(async () => {
    redis = await RedisServer.start();
    first = await startService({ env: { REDIS_URL: redis.url } });
    second = await startService({ env: { REDIS_URL: redis.url } });
  });

  afterAll(async () => {
    await first.close();
    await second.close();
    await redis.stop();
  });

  it('reports Redis in readiness', async () => {
    const response = await request(first.app.getHttpServer()).get('/readyz');

    expect(response.status).toBe(200);
    expect(response.body.checks.store).toBe('redis_up');
  });

  it('shares the negative cache between replicas through Redis', async () => {
    const fromFirst = await request(first.app.getHttpServer())
      .post(`/uploads/${MISSING}/refresh`)
      .set('authorization', `Bearer ${await first.token([MISSING])}`);
    const fromSecond = await request(second.app.getHttpServer())
      .post(`/uploads/${MISSING}/refresh`)
      .set('authorization', `Bearer ${await second.token([MISSING])}`);

    expect([fromFirst.status, fromSecond.status]).toEqual([404, 404]);
    expect(first.emulator.stats().accepted).toBe(1);
    expect(second.emulator.stats().accepted).toBe(0);
  });

  it('reports itself degraded, still in rotation, while Redis is down, and ready when it is back', async () => {
    await redis.kill();

    const down = await request(first.app.getHttpServer()).get('/readyz');
    expect(down.status).toBe(200);
    expect(down.body).toMatchObject({ status: 'degraded', checks: { store: 'redis_down' } });

    await redis.launch();
    const deadline = Date.now() + 5000;
    let status = '';
    while (status !== 'ready' && Date.now() < deadline) {
      status = (await request(first.app.getHttpServer()).get('/readyz')).body.status;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toBe('ready');
  });
});
