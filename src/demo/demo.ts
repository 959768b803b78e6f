/* eslint-disable no-console -- the demo talks to the person who ran it. */
import 'reflect-metadata';
import { SignJWT } from 'jose';
import { randomBytes } from 'node:crypto';
import { createApp } from '../app.factory';
import { loadConfig } from '../config/load-config';
import { VodEmulator } from '../emulator/vod-emulator';

const DEMO_VIDEO_ID = 'c6a23a870c8c4ffcd40cbd3813330001';
const DEMO_ACCESS_KEY_ID = 'demo-access-key-id';

/**
 * `npm run demo`: the VOD emulator and the service in one process, on an in-memory store with a
 * throwaway HS256 secret and AccessKey, then a curl command that refreshes a demo video.
 */
async function main(): Promise<void> {
  const accessKeySecret = randomBytes(18).toString('base64url');
  const jwtSecret = randomBytes(32).toString('base64url');
  const emulator = new VodEmulator({
    accounts: { [DEMO_ACCESS_KEY_ID]: { accessKeySecret } },
    latencyMs: 20,
  });
  emulator.addVideo(DEMO_VIDEO_ID);
  const emulatorPort = await emulator.start(Number(process.env.EMULATOR_PORT ?? 18080));

  const port = Number(process.env.PORT ?? 3000);
  const config = loadConfig({
    PORT: String(port),
    METRICS_PORT: process.env.METRICS_PORT ?? '9464',
    HOST: '127.0.0.1',
    NODE_ENV: 'development',
    VOD_ENDPOINT: `http://127.0.0.1:${emulatorPort}`,
    ALIBABA_CLOUD_ACCESS_KEY_ID: DEMO_ACCESS_KEY_ID,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: accessKeySecret,
    AUTH_JWT_SECRET: jwtSecret,
    AUTH_ISSUER: 'demo-issuer',
    AUTH_AUDIENCE: 'vod-upload-refresh',
    CORS_ORIGINS: 'http://localhost:5173',
  });
  const app = await createApp(config);
  app.enableShutdownHooks();
  await app.listen({ port, host: '127.0.0.1' });

  const token = await new SignJWT({ vod_video_ids: [DEMO_VIDEO_ID] })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('demo-user')
    .setIssuer('demo-issuer')
    .setAudience('vod-upload-refresh')
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(jwtSecret));

  console.log(`
Demo running: the service on http://127.0.0.1:${port}, the VOD emulator on http://127.0.0.1:${emulatorPort},
metrics on http://127.0.0.1:${config.http.metricsPort}/metrics. Refresh the demo video's upload credential:

curl -s -X POST http://127.0.0.1:${port}/uploads/${DEMO_VIDEO_ID}/refresh \\
  -H 'Authorization: Bearer ${token}'

(The token is signed with a secret made for this run and lasts an hour. Ctrl-C stops the demo.)
`);
  process.on('SIGINT', () => void app.close().then(() => emulator.stop()));
  process.on('SIGTERM', () => void app.close().then(() => emulator.stop()));
}

void main();
