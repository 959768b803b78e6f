import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { type Redis } from 'ioredis';
import { RedisConfig } from '../config/app-config';
import { createRedisClient, REDIS_CLIENT } from './redis.client';

/** One ioredis client for the process when REDIS_URL is set; `undefined` otherwise. */
@Global()
@Module({
  providers: [
    {
      provide: REDIS_CLIENT,
      inject: [RedisConfig],
      useFactory: (config: RedisConfig): Redis | undefined => {
        const logger = new Logger('Redis');
        if (config.url === undefined) {
          logger.log('REDIS_URL unset: in-memory store, correct for a single instance only');
          return undefined;
        }
        const client = createRedisClient(config.url, 'vod-upload-refresh');
        client.on('error', (error: Error) => logger.warn(`redis: ${error.message}`));
        return client;
      },
    },
  ],
  exports: [REDIS_CLIENT],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS_CLIENT) private readonly redis: Redis | undefined) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.redis !== undefined && this.redis.status !== 'end') {
      await this.redis.quit().catch(() => this.redis?.disconnect());
    }
  }
}
