import 'reflect-metadata';
import { createApp } from './app.factory';
import { ConfigError, loadConfig, type LoadedConfig } from './config/load-config';

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
  app.enableShutdownHooks();
  await app.listen({ port: config.http.port, host: config.http.host });
}

main().catch((error: unknown) => {
  // One line, no stack: e.g. the port is taken, or a key is unusable.
  process.stderr.write(
    `start-up failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
