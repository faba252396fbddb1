/**
 * @module Graph-aware activation: when a request finds the graph cold, every function of the graph is started
 * without waiting for the orchestrator to call it, so a graph's cold start costs about one function's instead
 * of the sum along its path (the cascading cold start of knative/serving#4902).
 *
 * Functions start in the order a request reaches them — the orchestrator, then the root's function, then its
 * children's, breadth first — and at most `maxParallel` replicas start at a time (default: the machine's CPU
 * cores). Starting a process is CPU-bound, so on a small machine starting everything at once would slow the
 * functions at the head of the path by the ones at its tail; a function the orchestrator calls before its turn
 * is started by that call anyway.
 */
import type { DeploymentPlan } from '../../plan/types.ts';
import { realClock, type Clock } from '../../time/index.ts';
import type { FunctionPool } from './function-pool.ts';

/** The graph's functions in the order a request reaches them: the orchestrator first, then breadth first. */
export function activationOrder(plan: DeploymentPlan, orchestrator: string): string[] {
  const order = [orchestrator];
  // A remote node's `function` is no function of the plan: nothing to start.
  const add = (fn: string | undefined) => {
    if (fn !== undefined && fn in plan.functions && !order.includes(fn)) order.push(fn);
  };
  const queue = [plan.root];
  for (let node = queue.shift(); node !== undefined; node = queue.shift()) {
    add(plan.nodes[node]?.function);
    queue.push(...(plan.nodes[node]?.children ?? []));
  }
  for (const fn of Object.keys(plan.functions)) add(fn);
  return order;
}

export interface GraphActivatorOptions {
  pools: Map<string, FunctionPool>;
  /** Function names, first started first (`activationOrder`). */
  order: string[];
  /** Most replicas starting at once, counting those started for any reason. */
  maxParallel: number;
  /** How often to look for a free start slot while functions wait (default 10 ms). */
  pollMs?: number;
  clock?: Clock;
}

export interface GraphActivator {
  /** Starts every function at zero replicas, in order; a second call while one runs does nothing. */
  activate(): void;
  stop(): void;
}

export function createGraphActivator(options: GraphActivatorOptions): GraphActivator {
  const { pools, order } = options;
  const maxParallel = Math.max(1, Math.floor(options.maxParallel) || 1);
  let pending: FunctionPool[] = [];
  const clock = options.clock ?? realClock;
  let timer: unknown;
  const cold = (pool: FunctionPool) => {
    const stats = pool.stats();
    return stats.ready + stats.starting === 0;
  };
  const starting = () => [...pools.values()].reduce((sum, pool) => sum + pool.stats().starting, 0);

  const step = () => {
    timer = undefined;
    while (pending.length > 0 && starting() < maxParallel) {
      const pool = pending.shift()!;
      if (cold(pool)) pool.activate();
    }
    if (pending.length > 0) timer = clock.setTimeout(step, options.pollMs ?? 10);
  };

  return {
    activate() {
      if (pending.length > 0) return;
      pending = order.map((fn) => pools.get(fn)).filter((pool): pool is FunctionPool => pool !== undefined && cold(pool));
      step();
    },
    stop() {
      pending = [];
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
    },
  };
}
