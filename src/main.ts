import 'reflect-metadata';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import { createApp } from './app.factory';
import { ConfigError, loadConfig, type LoadedConfig } from './config/load-config';
import { ShutdownState } from './health/shutdown-state';

async function main(): Promise<void> {
  let config: LoadedConfig;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`configuration error: ${error.message}\n`);
      process.exit(78); // EX_CONFIG: the service cannot start with this environment.
    }
    throw error;
  }
  const app = await createApp(config);
  await app.listen({ port: config.http.port, host: config.http.host });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => void drainAndExit(app, config));
  }
}

/**
 * Graceful shutdown: fail readiness and keep serving for SHUTDOWN_DRAIN_MS (the load balancer
 * takes a moment to stop sending), then close the listener and wait for in-flight requests
 * (at most SHUTDOWN_TIMEOUT_MS), close Redis and the VOD pool, and exit 0.
 */
async function drainAndExit(app: NestFastifyApplication, config: LoadedConfig): Promise<void> {
  app.get(ShutdownState).startDraining();
  await sleep(config.http.shutdownDrainMs);
  const timer = setTimeout(() => {
    process.stderr.write('shutdown: in-flight requests did not finish in time\n');
    process.exit(1);
  }, config.http.shutdownTimeoutMs);
  timer.unref();
  await app.close();
  process.exit(0);
}

main().catch((error: unknown) => {
  // One line, no stack: e.g. the port is taken, or a key is unusable.
  process.stderr.write(
    `start-up failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
