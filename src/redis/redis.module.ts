import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { RedisConfig } from '../config/app-config';
import { createRedisClient, REDIS_CLIENT, type RedisClient } from './redis.client';

const STARTUP_CONNECT_WAIT_MS = 2_000;

function connected(client: RedisClient, ms: number): Promise<boolean> {
  if (client.status === 'ready') {
    return Promise.resolve(true);
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      client.off('ready', onReady);
      resolve(false);
    }, ms);
    const onReady = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    client.once('ready', onReady);
  });
}

/** One ioredis client for the process when REDIS_URL is set; `undefined` otherwise. */
@Global()
@Module({
  providers: [
    {
      provide: REDIS_CLIENT,
      inject: [RedisConfig],
      useFactory: async (config: RedisConfig): Promise<RedisClient | undefined> => {
        const logger = new Logger('Redis');
        const client = createRedisClient(config, 'vod-upload-refresh');
        if (client === undefined) {
          logger.log('no Redis configured: in-memory store, correct for a single instance only');
          return undefined;
        }
        logger.log(`Redis topology: ${config.topology.kind}`);
        client.on('error', (error: Error) => logger.warn(`redis: ${error.message}`));
        // Commands fail while disconnected (no offline queue), so give the first connection a
        // moment; if Redis is not there, start anyway: readiness and the fallbacks report it.
        if (!(await connected(client, STARTUP_CONNECT_WAIT_MS))) {
          logger.warn(
            `redis not reachable within ${STARTUP_CONNECT_WAIT_MS} ms; starting degraded`,
          );
        }
        return client;
      },
    },
  ],
  exports: [REDIS_CLIENT],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS_CLIENT) private readonly redis: RedisClient | undefined) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.redis !== undefined && this.redis.status !== 'end') {
      await this.redis.quit().catch(() => this.redis?.disconnect());
    }
  }
}
