import helmet from '@fastify/helmet';
import { ConsoleLogger, type LogLevel, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type FastifyInstance } from 'fastify';
import { AppModule } from './app.module';
import { AuthMetrics } from './auth/auth.metrics';
import { ProblemFilter } from './common/problem.filter';
import { type LoadedConfig } from './config/load-config';
import { rejectPlainlyBad } from './http/early-rejection';
import { requestIdOf } from './http/request-id';
import { HttpMetrics } from './metrics/http.metrics';
import { ShutdownState } from './health/shutdown-state';

/** Request bodies are not used; anything larger than this is refused with 413. */
const BODY_LIMIT_BYTES = 16 * 1024;
const LOG_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/**
 * Builds the application on Fastify, wired as in production. Used by main.ts, the demo and the
 * end-to-end tests, so the tests exercise exactly what ships.
 */
export async function createApp(
  config: LoadedConfig,
  logger: ConsoleLogger | false = jsonLogger(config.http.logLevel),
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    routerOptions: { caseSensitive: true, maxParamLength: 128 },
    genReqId: requestIdOf,
    requestIdHeader: false,
    return503OnClosing: true,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    logger: logger === false ? false : logger,
    bufferLogs: false,
  });
  app.useGlobalFilters(new ProblemFilter());
  app.useGlobalPipes(
    new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: false }),
  );
  app.enableCors({
    origin: [...config.http.corsOrigins],
    methods: ['POST'],
    allowedHeaders: ['authorization', 'content-type', 'x-request-id'],
    exposedHeaders: ['retry-after', 'x-request-id'],
    maxAge: 600,
  });
  await app.register(helmet, { contentSecurityPolicy: { directives: { defaultSrc: ["'none'"] } } });
  installHooks(
    app.getHttpAdapter().getInstance(),
    app.get(HttpMetrics),
    app.get(AuthMetrics),
    app.get(ShutdownState),
  );
  return app;
}

function installHooks(
  fastify: FastifyInstance,
  httpMetrics: HttpMetrics,
  authMetrics: AuthMetrics,
  shutdown: ShutdownState,
): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    const rejected = rejectPlainlyBad(request, reply);
    if (rejected === 'missing' || rejected === 'malformed') {
      authMetrics.record(rejected);
    }
    done();
  });
  // While draining, every answer closes its connection: a kept-alive idle connection would
  // otherwise hold the listener open until its keep-alive timeout.
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (shutdown.draining) {
      void reply.header('connection', 'close');
    }
    done(null, payload);
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    httpMetrics.observe(
      request.routeOptions.url ?? 'unmatched',
      request.method,
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
    done();
  });
}

function jsonLogger(level: string): ConsoleLogger {
  const index = LOG_LEVELS.indexOf(level as LogLevel);
  return new ConsoleLogger({
    json: true,
    colors: false,
    logLevels: LOG_LEVELS.slice(0, index < 0 ? 4 : index + 1),
  });
}
