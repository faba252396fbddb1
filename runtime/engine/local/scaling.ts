/**
 * @module Connects the autoscaler (Knative's KPA, in ./autoscaler) to the function pools.
 *
 * The gateway reports every request's start and end (queued requests count as concurrency, as requests
 * held by Knative's activator do); the autoscaler decides each function's desired scale on its tick, or at
 * once when a request finds a function at zero; each decision is applied to the function's pool. Functions
 * with a minScale start with the engine; one activated from zero gets its initialScale at once.
 */
import type { Clock } from '../../time/index.ts';
import { MultiScaler } from './autoscaler/index.ts';
import type { FunctionPool } from './function-pool.ts';

export interface ScalingLoop {
  start(): void;
  stop(): void;
  requestStarted(fn: string): void;
  requestFinished(fn: string): void;
  activated(fn: string): void;
  panicking(fn: string): boolean;
}

export function createScaling({ pools, clock, tickMs, log }: { pools: Map<string, FunctionPool>; clock: Clock; tickMs: number; log: (m: string) => void }): ScalingLoop {
  const policies = Object.fromEntries([...pools.values()].map((pool) => [pool.name, pool.scaling]));
  const scaler = new MultiScaler({
    policies,
    clock,
    readyReplicas: (fn) => pools.get(fn)?.stats().ready ?? 0,
    tickIntervalMs: tickMs,
    log,
  });
  scaler.onScale((decision) => {
    const pool = pools.get(decision.fn);
    if (pool === undefined) return;
    if (decision.panicking && decision.desired > pool.stats().desired) log(`${decision.fn}: panic mode, scaling up to ${decision.desired}`);
    pool.setDesired(decision.desired);
  });
  /** The pool holds at least what the autoscaler wants (activation starts one replica; initialScale may say more). */
  const follow = (fn: string) => {
    const pool = pools.get(fn);
    const want = scaler.desiredReplicas(fn);
    if (pool !== undefined && want > pool.stats().desired) pool.setDesired(want);
  };
  return {
    start: () => {
      scaler.start();
      // minScale replicas run from the start, as Knative keeps them from the revision's creation.
      for (const pool of pools.values()) if (pool.scaling.minScale > 0) follow(pool.name);
    },
    stop: () => scaler.stop(),
    requestStarted: (fn) => scaler.requestStarted(fn),
    requestFinished: (fn) => scaler.requestFinished(fn),
    activated: (fn) => {
      scaler.wake(fn);
      follow(fn);
    },
    panicking: (fn) => scaler.panicking(fn),
  };
}
