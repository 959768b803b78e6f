import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SignJWT } from 'jose';
import { randomBytes } from 'node:crypto';
import { createApp } from '../../src/app.factory';
import { loadConfig } from '../../src/config/load-config';
import { VodEmulator, type VodEmulatorOptions } from '../../src/emulator/vod-emulator';
import { MetricsServer } from '../../src/metrics/metrics.server';
import { CapturingLogger } from './capturing-logger';

export const ACCESS_KEY_ID = 'LTAItest00000000';
export const ISSUER = 'https://id.test';
export const AUDIENCE = 'vod-upload-refresh';

/** The real app (as main.ts builds it) in front of an emulated VOD, with a token minter. */
export interface TestService {
  readonly app: NestFastifyApplication;
  readonly emulator: VodEmulator;
  readonly logger: CapturingLogger;
  readonly accessKeySecret: string;
  readonly jwtSecret: string;
  readonly metricsPort: number;
  token(videoIds: readonly unknown[], edit?: (jwt: SignJWT) => SignJWT): Promise<string>;
  close(): Promise<void>;
}

export async function startService(
  env: Record<string, string> = {},
  emulatorOptions: Partial<VodEmulatorOptions> = {},
): Promise<TestService> {
  const accessKeySecret = randomBytes(18).toString('base64url');
  const jwtSecret = randomBytes(32).toString('base64url');
  const emulator = new VodEmulator({
    accounts: { [ACCESS_KEY_ID]: { accessKeySecret } },
    ...emulatorOptions,
  });
  const emulatorPort = await emulator.start();
  const logger = new CapturingLogger();
  const config = loadConfig({
    PORT: '0',
    METRICS_PORT: '0',
    HOST: '127.0.0.1',
    VOD_ENDPOINT: `http://127.0.0.1:${emulatorPort}`,
    ALIBABA_CLOUD_ACCESS_KEY_ID: ACCESS_KEY_ID,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: accessKeySecret,
    AUTH_JWT_SECRET: jwtSecret,
    AUTH_ISSUER: ISSUER,
    AUTH_AUDIENCE: AUDIENCE,
    CORS_ORIGINS: 'https://app.example.com',
    VOD_TIMEOUT_MS: '500',
    ...env,
  });
  const app = await createApp(config, logger);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const key = new TextEncoder().encode(jwtSecret);
  return {
    app,
    emulator,
    logger,
    accessKeySecret,
    jwtSecret,
    metricsPort: app.get(MetricsServer).port(),
    token: (videoIds, edit = (jwt) => jwt) =>
      edit(
        new SignJWT({ vod_video_ids: videoIds })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('user-a')
          .setIssuer(ISSUER)
          .setAudience(AUDIENCE)
          .setIssuedAt()
          .setExpirationTime('10m'),
      ).sign(key),
    close: async () => {
      await app.close();
      await emulator.stop();
    },
  };
}

/** A video id of the right shape, distinct per `n`. */
export function videoId(n: number): string {
  return `c6a23a${n.toString(16).padStart(26, '0')}`;
}
