import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../src/bench/processes';
import { type EmulatorStats } from '../../src/emulator/vod-emulator';
import { ACCESS_KEY_ID } from './service';

const EMULATOR_MAIN = join(__dirname, '..', '..', 'dist', 'emulator', 'main.js');

/**
 * The VOD emulator in its own process (dist/emulator/main.js, built by `npm test` first), so the
 * arrival times it records are not delayed by the replicas sharing the test's event loop.
 */
export interface RemoteEmulator {
  readonly endpoint: string;
  readonly accessKeySecret: string;
  readonly jwtSecret: string;
  resetStats(): Promise<void>;
  stats(): Promise<EmulatorStats>;
  stop(): Promise<void>;
}

export async function startEmulatorProcess(
  qpsLimit: number,
  videos: readonly string[],
): Promise<RemoteEmulator> {
  if (!existsSync(EMULATOR_MAIN)) {
    throw new Error(`${EMULATOR_MAIN} is missing: run npm run build first (npm test does)`);
  }
  const port = await freePort();
  const accessKeySecret = randomBytes(18).toString('base64url');
  const child = spawn(process.execPath, [EMULATOR_MAIN], {
    env: {
      ...process.env,
      EMULATOR_PORT: String(port),
      EMULATOR_ACCESS_KEY_ID: ACCESS_KEY_ID,
      EMULATOR_ACCESS_KEY_SECRET: accessKeySecret,
      EMULATOR_QPS: String(qpsLimit),
      EMULATOR_VIDEOS: videos.join(','),
    },
    stdio: 'ignore',
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const admin = async (action: string): Promise<Response> => {
    const response = await fetch(`${endpoint}/__emulator/${action}`);
    if (!response.ok) {
      throw new Error(`emulator ${action}: ${response.status}`);
    }
    return response;
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await (await admin('stats')).arrayBuffer();
      break;
    } catch (error) {
      if (Date.now() > deadline) {
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return {
    endpoint,
    accessKeySecret,
    jwtSecret: randomBytes(32).toString('base64url'),
    resetStats: async () => void (await (await admin('reset')).arrayBuffer()),
    stats: async () => (await (await admin('stats')).json()) as EmulatorStats,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) {
          resolve();
          return;
        }
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
