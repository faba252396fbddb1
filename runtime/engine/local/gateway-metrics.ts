/**
 * @module The gateway's Prometheus metrics: per-function replicas, queue, in-flight, cold starts, latency.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { FunctionPool } from './function-pool.ts';

export interface GatewayMetrics {
  registry: Registry;
  observe(fn: string, code: number, seconds: number): void;
}

export function createGatewayMetrics(pools: () => FunctionPool[], extra: { panicking?: (fn: string) => boolean } = {}): GatewayMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'switchyard_gateway_' });
  const perFunction = (name: string, help: string, read: (pool: FunctionPool) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['function'],
      registers: [registry],
      collect() {
        for (const pool of pools()) this.set({ function: pool.name }, read(pool));
      },
    });
  perFunction('switchyard_function_replicas', 'Ready replicas of each function.', (p) => p.stats().ready);
  perFunction('switchyard_function_desired_replicas', 'Replicas the autoscaler wants for each function.', (p) => p.stats().desired);
  perFunction('switchyard_function_inflight', 'Requests being served by each function.', (p) => p.stats().inflight);
  perFunction('switchyard_function_queued', 'Requests waiting for a free replica of each function.', (p) => p.stats().queued);
  perFunction('switchyard_function_panic_mode', '1 while the autoscaler is in panic mode for the function.', (p) => (extra.panicking?.(p.name) ? 1 : 0));
  new Counter({
    name: 'switchyard_function_cold_starts_total',
    help: 'Starts of a function from zero ready replicas.',
    labelNames: ['function'],
    registers: [registry],
    collect() {
      this.reset();
      for (const pool of pools()) this.inc({ function: pool.name }, pool.stats().coldStarts);
    },
  });
  const duration = new Histogram({
    name: 'switchyard_request_duration_seconds',
    help: 'Time from the gateway receiving a request for a function to answering it, by function and status code.',
    labelNames: ['function', 'code'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return {
    registry,
    observe(fn, code, seconds) {
      duration.observe({ function: fn, code: String(code) }, seconds);
    },
  };
}
