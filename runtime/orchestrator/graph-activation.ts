/**
 * @module Graph-aware activation from the orchestrator: a request that arrives after the graph has been idle long
 * enough for its functions to scale to zero wakes every one of them at once, so their cold starts overlap rather
 * than add up along the graph's edges (knative/serving#4902: each function would otherwise start only when the
 * walk reaches it).
 *
 * A function "may be at zero" once this orchestrator has sent the graph no request for its stable window plus its
 * scale-down delay (Knative's autoscaler wants zero replicas after a stable window without traffic; the
 * scale-to-zero grace period only delays the last pod's removal). Functions with `minScale` ≥ 1 never sleep;
 * nodes fused into the orchestrator and remote servers have no function to wake. The first request an
 * orchestrator replica serves counts as after an idle spell (it cannot know otherwise).
 *
 * A wake is `GET <function>/health/ping` marked `x-switchyard-wake: 1`: on Knative the activator holds it and scales
 * the revision up, as it does any request; the local engine's gateway starts a replica and answers at once,
 * without taking a place in the function's queue (runtime/engine/local/gateway.ts). Its answer does not matter
 * and nothing waits for it; the request that caused it goes on at once. Under steady traffic nothing is woken, so a
 * branch the routers no longer choose is left at zero.
 */
import type { ActivationMode, DeploymentPlan, PlanFunction } from '../plan/types.ts';
import type { Endpoints } from './node-client.ts';

/** How long a wake request may stay open (a large model's cold start on a fresh node included). */
export const WAKE_TIMEOUT_MS = 10 * 60_000;
/** The header that marks a wake, for a gateway that can start a function without sending it the request. */
export const WAKE_HEADER = 'x-switchyard-wake';

export interface GraphActivation {
  /** A graph request arrives (with its headers, whose `authorization` a wake carries); wakes what may be asleep. */
  onRequest(headers?: Record<string, string>): void;
  /** The functions this orchestrator may wake, with how long the graph must be idle before each is woken. */
  readonly sleepers: ReadonlyArray<{ function: string; idleMs: number }>;
}

export function createGraphActivation(deps: {
  plan: DeploymentPlan;
  endpoints: Endpoints;
  mode: ActivationMode;
  fetchImpl: typeof fetch;
  now: () => number;
  /** Told which functions a request woke, and after how long an idle spell. */
  onWake?: (functions: string[], idleMs: number) => void;
}): GraphActivation {
  const { plan, endpoints } = deps;
  const sleepers = deps.mode === 'cascade' ? [] : Object.values(plan.functions).filter((fn) => canSleep(fn) && endpoints[fn.name] !== undefined).map((fn) => ({ function: fn.name, idleMs: idleBeforeZero(fn) }));
  // Under steady traffic a request wakes nothing: most requests stop at this one comparison.
  const shortestIdleMs = Math.min(...sleepers.map((sleeper) => sleeper.idleMs));
  let lastRequest = Number.NEGATIVE_INFINITY;
  return {
    sleepers,
    onRequest(headers = {}) {
      if (sleepers.length === 0) return;
      const now = deps.now();
      const idle = now - lastRequest;
      lastRequest = now;
      if (idle < shortestIdleMs) return;
      const woken = sleepers.filter((sleeper) => idle >= sleeper.idleMs).map((sleeper) => sleeper.function);
      if (woken.length === 0) return;
      const sent: Record<string, string> = { [WAKE_HEADER]: '1', ...(headers.authorization === undefined ? {} : { authorization: headers.authorization }) };
      for (const fn of woken) {
        void deps
          .fetchImpl(`${endpoints[fn]}/health/ping`, { headers: sent, signal: AbortSignal.timeout(WAKE_TIMEOUT_MS) })
          .then((response) => response.arrayBuffer())
          .catch(() => undefined);
      }
      deps.onWake?.(woken, idle);
    },
  };
}

/** Whether Knative (or the local engine) may scale the function to zero. */
function canSleep(fn: PlanFunction): boolean {
  return fn.kind !== 'orchestrator' && fn.scaling.minScale === 0;
}

/** How long without traffic before the autoscaler may want the function at zero. */
function idleBeforeZero(fn: PlanFunction): number {
  return fn.scaling.stableWindowMs + fn.scaling.scaleDownDelayMs;
}
