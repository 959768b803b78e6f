import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * prom-client's default collectors include three gauges named
 * `nodejs_active_{handles,requests,resources}_total`, which `promtool check metrics` rejects (a
 * gauge must not end in `_total`). The same readings stay available, by type, as
 * `nodejs_active_handles`, `nodejs_active_requests` and `nodejs_active_resources`.
 */
const NONCONFORMING_DEFAULTS = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
];

export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  for (const name of NONCONFORMING_DEFAULTS) {
    registry.removeSingleMetric(name);
  }
  return registry;
}
