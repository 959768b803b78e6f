/* eslint-disable no-console -- a command-line tool: its output is for the person running it. */
import { VodEmulator } from './vod-emulator';

/**
 * Runs the VOD emulator as its own process (benchmarks, manual tests). Settings from the
 * environment: EMULATOR_PORT (18080), EMULATOR_ACCESS_KEY_ID / _SECRET / _SECURITY_TOKEN,
 * EMULATOR_QPS (120), EMULATOR_LATENCY_MS (0), EMULATOR_JITTER_MS (0), EMULATOR_VIDEOS (comma list).
 */
async function main(): Promise<void> {
  const env = process.env;
  const accessKeyId = env.EMULATOR_ACCESS_KEY_ID ?? 'emulator-access-key-id';
  const emulator = new VodEmulator({
    accounts: {
      [accessKeyId]: {
        accessKeySecret: env.EMULATOR_ACCESS_KEY_SECRET ?? 'emulator-secret',
        ...(env.EMULATOR_SECURITY_TOKEN ? { securityToken: env.EMULATOR_SECURITY_TOKEN } : {}),
      },
    },
    qpsLimit: Number(env.EMULATOR_QPS ?? 120),
    latencyMs: Number(env.EMULATOR_LATENCY_MS ?? 0),
    arrivalJitterMs: Number(env.EMULATOR_JITTER_MS ?? 0),
  });
  for (const id of (env.EMULATOR_VIDEOS ?? '').split(',').filter(Boolean)) {
    emulator.addVideo(id);
  }
  const port = await emulator.start(Number(env.EMULATOR_PORT ?? 18080));
  console.log(JSON.stringify({ emulator: 'ready', port }));
  const stop = (): void => void emulator.stop().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

void main();
