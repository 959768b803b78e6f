/* eslint-disable no-console -- a benchmark process. */
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { RateLimiterQueue, RateLimiterRedis } from 'rate-limiter-flexible';
import { Agent, request } from 'undici';
import { rpcParams, signedQuery } from '../vod/vod-signer';

/**
 * A stand-in replica guarded by an off-the-shelf limiter instead of ours, for the benchmark's
 * anchors. It answers POST /uploads/:id/refresh: 429 when its limiter refuses, else it calls the
 * emulator (signed like the real service) and answers with the emulator's status.
 * ANCHOR: `flexible` (rate-limiter-flexible RateLimiterRedis, fixed 1 s window),
 * `flexible-queue` (its RateLimiterQueue), `nestlab` (@nest-lab/throttler-storage-redis, as
 * @nestjs/throttler's guard uses it).
 */
const env = process.env;
const budget = Number(env.BUDGET ?? 120);
const redis = new Redis(env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const endpoint = env.VOD_ENDPOINT ?? 'http://127.0.0.1:18080';
const agent = new Agent({ connections: 64 });
const credentials = {
  accessKeyId: env.ALIBABA_CLOUD_ACCESS_KEY_ID ?? '',
  accessKeySecret: env.ALIBABA_CLOUD_ACCESS_KEY_SECRET ?? '',
};

type Decide = () => Promise<boolean>;

function limiter(kind: string): Decide {
  switch (kind) {
    case 'flexible': {
      const flexible = new RateLimiterRedis({
        storeClient: redis,
        points: budget,
        duration: 1,
        keyPrefix: 'anchor-flex',
      });
      return () =>
        flexible.consume('vod').then(
          () => true,
          () => false,
        );
    }
    case 'flexible-queue': {
      const flexible = new RateLimiterRedis({
        storeClient: redis,
        points: budget,
        duration: 1,
        keyPrefix: 'anchor-flexq',
      });
      const queue = new RateLimiterQueue(flexible, { maxQueueSize: 1000 });
      return () =>
        queue.removeTokens(1, 'vod').then(
          () => true,
          () => false,
        );
    }
    case 'nestlab': {
      const storage = new ThrottlerStorageRedisService(redis);
      return () =>
        storage.increment('vod', 1000, budget, 1000, 'default').then((record) => !record.isBlocked);
    }
    default:
      throw new Error(`unknown ANCHOR ${kind}`);
  }
}

const decide = limiter(env.ANCHOR ?? 'flexible');

const server = createServer((req, res) => {
  const videoId = /^\/uploads\/([0-9a-f]{32})\/refresh$/.exec(req.url ?? '')?.[1];
  req.resume();
  if (videoId === undefined) {
    res.writeHead(404).end();
    return;
  }
  void (async () => {
    if (!(await decide())) {
      res.writeHead(429).end();
      return;
    }
    const params = rpcParams(
      { Action: 'RefreshUploadVideo', VideoId: videoId },
      '2017-03-21',
      credentials,
      new Date(),
      randomUUID(),
    );
    const answer = await request(
      `${endpoint}/?${signedQuery(params, credentials.accessKeySecret)}`,
      { dispatcher: agent },
    );
    await answer.body.arrayBuffer();
    res.writeHead(answer.statusCode === 200 ? 200 : 502).end();
  })().catch(() => res.writeHead(500).end());
});
server.listen(Number(env.PORT ?? 3000), '127.0.0.1', () => console.log('anchor ready'));
process.on('SIGTERM', () => {
  server.close();
  redis.disconnect();
  process.exit(0);
});
