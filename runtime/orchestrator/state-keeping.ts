/**
 * @module How one orchestrator replica keeps router state: the router runner over the state store, the store's
 * health (rate-limited warnings), the queue of rewards waiting for the store, what GET /api/v1.0/routers says
 * about them (`StateStatus`), their Prometheus metrics, and the last flush when the replica stops.
 */
import type { Registry } from 'prom-client';
import type { DeploymentPlan } from '../plan/types.ts';
import type { StateStore, StateStoreKind } from '../state/index.ts';
import type { Clock, Rng } from '../time/index.ts';
import { createFeedbackQueue, type FeedbackQueue, type FeedbackQueueOptions, type FeedbackQueueStats } from './feedback-queue.ts';
import type { PendingFeedback } from './feedback.ts';
import { createRouterRunner, type RouterRunner } from './router-runner.ts';
import { createStateHealth, type StateHealth, type StateHealthView } from './state-health.ts';
import { registerStateMetrics } from './state-metrics.ts';

export interface StateStatus extends StateHealthView {
  /** The backend that holds the router state. */
  store: StateStoreKind;
  /** Its file, its URL without a password, or "this process". */
  location: string;
  /** Whether other replicas see the same state (file: those on this machine; redis: all). */
  shared: boolean;
  /** This replica (the figures below are its own). */
  replica: string;
  /** How stale a decision's state may be on this replica (ms). */
  cacheMs: number;
  feedback: FeedbackQueueStats;
}

export interface StateKeeping {
  routers: RouterRunner;
  health: StateHealth;
  queue: FeedbackQueue;
  pending: PendingFeedback;
  status(): StateStatus;
  /** Applies what is queued within `timeoutMs`, reports what is lost, closes the store. */
  close(timeoutMs: number): Promise<void>;
}

export interface StateKeepingOptions {
  plan: DeploymentPlan;
  store: StateStore;
  rng: Rng;
  clock: Clock;
  warn?: (message: string) => void;
  info?: (message: string) => void;
  /** Names this replica in GET /api/v1.0/routers (default "this replica"). */
  replica?: string;
  cacheMs?: number;
  warnEveryMs?: number;
  queue?: Pick<FeedbackQueueOptions, 'capacity' | 'maxAgeMs' | 'initialDelayMs' | 'maxDelayMs'>;
  /** Where the state metrics go (the orchestrator's registry). */
  registry?: Registry;
}

export function createStateKeeping({
  plan,
  store,
  rng,
  clock,
  warn = () => {},
  info = () => {},
  replica = 'this replica',
  cacheMs = 1000,
  warnEveryMs,
  queue: queueOptions = {},
  registry,
}: StateKeepingOptions): StateKeeping {
  const where = `${store.kind} ${store.location}`;
  let queue: FeedbackQueue | undefined;
  const pendingWords = () => {
    const n = queue?.stats().pending ?? 0;
    return n > 0 ? `${n} rewards pending on this replica` : '';
  };
  const health = createStateHealth({ clock, where, warn, info, context: pendingWords, ...(warnEveryMs === undefined ? {} : { warnEveryMs }) });
  const routers = createRouterRunner({ plan, store, rng, clock, cacheMs, health });
  queue = createFeedbackQueue({
    ...queueOptions,
    clock,
    apply: (reward) => {
      const node = plan.nodes[reward.router];
      if (node === undefined) throw new Error(`router "${reward.router}" is not in graph "${plan.graph}"`);
      return routers.reward(node, reward.arm, reward.reward, reward.puid);
    },
    onApplied: (count, left) => info(`applied ${count} queued rewards to the state store ${where}${left ? `; ${left} still pending` : ''}`),
    onDropped: (dropped) => {
      const reasons = [...new Set(dropped.map((d) => d.reason))].join(', ');
      warn(`${dropped.length} rewards could not be applied to the state store ${where} and were dropped (${reasons}): puids ${dropped.slice(0, 10).map((d) => d.puid ?? '-').join(' ')}${dropped.length > 10 ? ' …' : ''}`);
    },
  });
  const q = queue;
  health.onRecover(() => q.kick());

  const status = (): StateStatus => ({
    store: store.kind,
    location: store.location,
    shared: store.kind !== 'memory',
    replica,
    cacheMs,
    ...health.view(),
    feedback: q.stats(),
  });
  if (registry) registerStateMetrics(registry, status);

  return {
    routers,
    health,
    queue: q,
    pending: {
      storeAvailable: () => health.available,
      enqueue: (reward, error) => q.enqueue(reward, error),
      size: () => q.stats().pending,
      where,
    },
    status,
    async close(timeoutMs) {
      await q.close(timeoutMs);
      await store.close();
    },
  };
}
