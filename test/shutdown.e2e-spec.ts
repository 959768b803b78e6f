import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { freePort } from '../src/bench/processes';
import { ACCESS_KEY_ID, startUpstream, videoId, type TestUpstream } from './support/service';

const MAIN = join(__dirname, '..', 'dist', 'main.js');
const VIDEO = videoId(0x5157);

/**
 * SIGTERM to the real process (dist/main.js, built by `npm test` before this runs) while
 * requests are in flight: readiness fails first, every in-flight request still gets its
 * credential, and the process exits 0.
 */
describe('graceful shutdown', () => {
  let upstream: TestUpstream;

  beforeAll(async () => {
    expect(existsSync(MAIN)).toBe(true);
    // VOD answers slowly, so requests are still in flight when the signal arrives.
    upstream = await startUpstream({ latencyMs: 600 });
    upstream.emulator.addVideo(VIDEO);
  });

  afterAll(async () => {
    await upstream.emulator.stop();
  });

  it('fails readiness, finishes what is in flight, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const child = spawn(process.execPath, [MAIN], {
      env: {
        ...process.env,
        PORT: String(port),
        METRICS_PORT: String(await freePort()),
        HOST: '127.0.0.1',
        VOD_ENDPOINT: upstream.endpoint,
        ALIBABA_CLOUD_ACCESS_KEY_ID: ACCESS_KEY_ID,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: upstream.accessKeySecret,
        AUTH_JWT_SECRET: upstream.jwtSecret,
        CREDENTIAL_CACHE_TTL_MS: '0',
        SHUTDOWN_DRAIN_MS: '300',
        LOG_LEVEL: 'error',
      },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    await until(async () => (await fetch(`${base}/healthz`)).ok);
    const token = await new SignJWT({ vod_video_ids: [VIDEO] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('user-a')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(upstream.jwtSecret));

    const inFlight = Array.from({ length: 8 }, () =>
      fetch(`${base}/uploads/${VIDEO}/refresh`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
      }).then((response) => response.status),
    );
    await new Promise((resolve) => setTimeout(resolve, 150));
    child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const readiness = await fetch(`${base}/readyz`);

    expect(readiness.status).toBe(503);
    expect(await readiness.json()).toMatchObject({ checks: { draining: true } });
    expect(await Promise.all(inFlight)).toEqual(Array(8).fill(200));
    expect(await exited).toBe(0);
  });
});

async function until(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the service did not start');
}
