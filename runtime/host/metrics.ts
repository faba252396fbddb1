/**
 * @module A function's Prometheus metrics, in a registry of its own (never prom-client's global one):
 * requests by route and status, request durations, in-flight requests, default process metrics, and the
 * custom Seldon metrics a node reports (COUNTER → counter, GAUGE → gauge, TIMER → histogram in seconds).
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Logger } from '../log.ts';
import type { SeldonMetric } from '../protocol/seldon-types.ts';

export interface NodeMetrics {
  registry: Registry;
  /** One finished request: its route pattern (e.g. `/predict`), HTTP status and duration. */
  observeRequest(path: string, code: number, seconds: number): void;
  inflight: { inc(): void; dec(): void };
  /** Custom metrics from a node (Seldon `meta.metrics`); bad names or label sets are logged and skipped. */
  recordCustom(metrics: readonly SeldonMetric[]): void;
}

/** Request duration buckets in seconds: 1 ms to 60 s, for models that answer fast and cold starts that do not. */
export const REQUEST_DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function createNodeMetrics(log: Logger): NodeMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'switchyard_node_requests_total',
    help: 'Requests served by this function, by route and HTTP status.',
    labelNames: ['path', 'code'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'switchyard_node_request_duration_seconds',
    help: 'Time to answer a request, by route.',
    labelNames: ['path'] as const,
    buckets: REQUEST_DURATION_BUCKETS,
    registers: [registry],
  });
  const inflight = new Gauge({
    name: 'switchyard_node_inflight',
    help: 'Prediction, feedback and inference requests being handled right now.',
    registers: [registry],
  });
  const custom = new Map<string, { type: SeldonMetric['type']; labels: string[]; metric: Counter | Gauge | Histogram }>();

  const recordOne = (m: SeldonMetric): void => {
    const labels = Object.keys(m.tags ?? {}).sort();
    if (!METRIC_NAME.test(m.key) || labels.some((l) => !LABEL_NAME.test(l) || l.startsWith('__'))) {
      log.warn('custom metric skipped: its key or a tag is not a valid Prometheus name', { key: m.key, tags: labels.join(',') });
      return;
    }
    let entry = custom.get(m.key);
    if (entry === undefined) {
      const options = { name: m.key, help: `Custom ${m.type.toLowerCase()} reported by the node.`, labelNames: labels, registers: [registry] };
      try {
        const metric =
          m.type === 'COUNTER' ? new Counter(options) : m.type === 'GAUGE' ? new Gauge(options) : new Histogram({ ...options, buckets: REQUEST_DURATION_BUCKETS });
        entry = { type: m.type, labels, metric };
      } catch (error) {
        log.warn('custom metric skipped: it cannot be registered', { key: m.key, error });
        return;
      }
      custom.set(m.key, entry);
    }
    if (entry.type !== m.type || entry.labels.join(',') !== labels.join(',')) {
      log.warn('custom metric skipped: its type or tag names changed since it was first reported', { key: m.key });
      return;
    }
    const tags = m.tags ?? {};
    if (entry.metric instanceof Counter) {
      if (m.value >= 0) entry.metric.inc(tags, m.value);
    } else if (entry.metric instanceof Gauge) {
      entry.metric.set(tags, m.value);
    } else {
      // Seldon TIMERs are milliseconds; Prometheus histograms are seconds.
      entry.metric.observe(tags, m.value / 1000);
    }
  };

  return {
    registry,
    observeRequest(path, code, seconds) {
      requests.inc({ path, code: String(code) });
      duration.observe({ path }, seconds);
    },
    inflight: { inc: () => inflight.inc(), dec: () => inflight.dec() },
    recordCustom(metrics) {
      for (const m of metrics) recordOne(m);
    },
  };
}
