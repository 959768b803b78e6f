import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SignJWT } from 'jose';
import { randomBytes } from 'node:crypto';
import { createApp } from '../../src/app.factory';
import { loadConfig } from '../../src/config/load-config';
import { VodEmulator, type VodEmulatorOptions } from '../../src/emulator/vod-emulator';
import { MetricsServer } from '../../src/metrics/metrics.server';
import { CapturingLogger } from './capturing-logger';

export const ACCESS_KEY_ID = 'test-access-key-id';
export const ISSUER = 'https://id.test';
export const AUDIENCE = 'vod-upload-refresh';

/** An emulated VOD and the secrets that go with it, shareable by several replicas. */
export interface TestUpstream {
  readonly emulator: VodEmulator;
  readonly endpoint: string;
  readonly accessKeySecret: string;
  readonly jwtSecret: string;
}

export async function startUpstream(
  options: Partial<VodEmulatorOptions> = {},
): Promise<TestUpstream> {
  const accessKeySecret = randomBytes(18).toString('base64url');
  const emulator = new VodEmulator({
    accounts: { [ACCESS_KEY_ID]: { accessKeySecret } },
    ...options,
  });
  const port = await emulator.start();
  return {
    emulator,
    endpoint: `http://127.0.0.1:${port}`,
    accessKeySecret,
    jwtSecret: randomBytes(32).toString('base64url'),
  };
}

/** The real app (as main.ts builds it) in front of an emulated VOD, with a token minter. */
export interface TestService extends TestUpstream {
  readonly app: NestFastifyApplication;
  readonly logger: CapturingLogger;
  readonly metricsPort: number;
  /** Set when started with `listen: true`. */
  readonly url: string | undefined;
  token(videoIds: readonly unknown[], edit?: (jwt: SignJWT) => SignJWT): Promise<string>;
  close(): Promise<void>;
}

export interface ServiceOptions {
  readonly env?: Record<string, string>;
  /** Share this VOD emulator (several replicas); otherwise the service gets its own. */
  readonly upstream?: TestUpstream;
  readonly emulator?: Partial<VodEmulatorOptions>;
  /** Listen on a real port (for load from fetch) instead of supertest's in-memory server. */
  readonly listen?: boolean;
}

export async function startService(options: ServiceOptions = {}): Promise<TestService> {
  const ownsUpstream = options.upstream === undefined;
  const upstream = options.upstream ?? (await startUpstream(options.emulator));
  const logger = new CapturingLogger();
  const config = loadConfig({
    PORT: '0',
    METRICS_PORT: '0',
    HOST: '127.0.0.1',
    VOD_ENDPOINT: upstream.endpoint,
    ALIBABA_CLOUD_ACCESS_KEY_ID: ACCESS_KEY_ID,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: upstream.accessKeySecret,
    AUTH_JWT_SECRET: upstream.jwtSecret,
    AUTH_ISSUER: ISSUER,
    AUTH_AUDIENCE: AUDIENCE,
    CORS_ORIGINS: 'https://app.example.com',
    VOD_TIMEOUT_MS: '500',
    ...options.env,
  });
  const app = await createApp(config, logger);
  let url: string | undefined;
  if (options.listen === true) {
    await app.listen({ port: 0, host: '127.0.0.1' });
    url = await app.getUrl();
  } else {
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  }
  const key = new TextEncoder().encode(upstream.jwtSecret);
  return {
    ...upstream,
    app,
    logger,
    url,
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
      if (ownsUpstream) {
        await upstream.emulator.stop();
      }
    },
  };
}

/** A video id of the right shape, distinct per `n`. */
export function videoId(n: number): string {
  return `c6a23a${n.toString(16).padStart(26, '0')}`;
}
