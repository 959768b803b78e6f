import { Global, Module } from '@nestjs/common';
import { Registry } from 'prom-client';
import { HttpMetrics } from './http.metrics';
import { createMetricsRegistry } from './metrics.registry';
import { MetricsServer } from './metrics.server';

/**
 * One Prometheus registry per application (not prom-client's global one), so tests can run
 * several apps in one process. Capabilities declare their own metrics beside their code.
 */
@Global()
@Module({
  providers: [{ provide: Registry, useFactory: createMetricsRegistry }, HttpMetrics, MetricsServer],
  exports: [Registry, HttpMetrics, MetricsServer],
})
export class MetricsModule {}
