import { type DynamicModule, Global, Module } from '@nestjs/common';
import {
  AuthConfig,
  BudgetConfig,
  CacheConfig,
  CallerThrottleConfig,
  HttpConfig,
  RedisConfig,
  VodConfig,
} from './app-config';
import { type LoadedConfig } from './load-config';

/** Makes each capability's typed settings injectable by class everywhere. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: LoadedConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: HttpConfig, useValue: config.http },
        { provide: VodConfig, useValue: config.vod },
        { provide: BudgetConfig, useValue: config.budget },
        { provide: AuthConfig, useValue: config.auth },
        { provide: RedisConfig, useValue: config.redis },
        { provide: CallerThrottleConfig, useValue: config.callerThrottle },
        { provide: CacheConfig, useValue: config.cache },
      ],
      exports: [
        HttpConfig,
        VodConfig,
        BudgetConfig,
        AuthConfig,
        RedisConfig,
        CallerThrottleConfig,
        CacheConfig,
      ],
    };
  }
}
