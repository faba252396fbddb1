/**
 * @module The router state store's Prometheus metrics, read from the replica's `StateStatus` at scrape time:
 * `switchyard_state_store_available`, `switchyard_feedback_pending`, `switchyard_feedback_queued_total`,
 * `switchyard_feedback_retried_total{outcome}` and `switchyard_feedback_dropped_total{reason}`.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { StateStatus } from './state-keeping.ts';

type Series = Array<[Record<string, string>, number]>;

/** A counter that follows running totals kept elsewhere: each scrape adds what they grew by since the last one. */
function mirroredCounter(registry: Registry, name: string, help: string, labelNames: string[], read: () => Series): void {
  const seen = new Map<string, number>();
  new Counter({
    name,
    help,
    labelNames,
    registers: [registry],
    collect() {
      for (const [labels, total] of read()) {
        const id = JSON.stringify(labels);
        const before = seen.get(id) ?? 0;
        if (total > before) this.inc(labels, total - before);
        else if (!seen.has(id)) this.inc(labels, 0);
        seen.set(id, total);
      }
    },
  });
}

export function registerStateMetrics(registry: Registry, status: () => StateStatus): void {
  new Gauge({
    name: 'switchyard_state_store_available',
    help: 'Whether the router state store answered the last operation of this replica (1) or not (0).',
    labelNames: ['store'],
    registers: [registry],
    collect() {
      const s = status();
      this.reset();
      this.set({ store: s.store }, s.available ? 1 : 0);
    },
  });
  new Gauge({
    name: 'switchyard_feedback_pending',
    help: 'Rewards waiting in this replica for the state store to answer again.',
    registers: [registry],
    collect() {
      this.set(status().feedback.pending);
    },
  });
  mirroredCounter(registry, 'switchyard_feedback_queued_total', 'Rewards queued because the state store was unavailable.', [], () => [
    [{}, status().feedback.queuedTotal],
  ]);
  mirroredCounter(
    registry,
    'switchyard_feedback_retried_total',
    'Queued rewards that a retry applied (outcome "applied") or found already applied ("duplicate").',
    ['outcome'],
    () => {
      const f = status().feedback;
      return [
        [{ outcome: 'applied' }, f.appliedTotal],
        [{ outcome: 'duplicate' }, f.duplicateTotal],
      ];
    },
  );
  mirroredCounter(
    registry,
    'switchyard_feedback_dropped_total',
    'Rewards that could not be applied: the queue was full (answered 503), they expired, the router rejected them, or they were pending when the replica stopped.',
    ['reason'],
    () => Object.entries(status().feedback.droppedTotal).map(([reason, total]): [Record<string, string>, number] => [{ reason }, total]),
  );
}
