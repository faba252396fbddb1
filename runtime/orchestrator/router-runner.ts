/**
 * @module Runs the graph's built-in routers in-process: decisions from the current bandit state, rewards
 * from feedback, state kept in a `StateStore` so that it survives restarts and is shared by replicas.
 *
 * Each decision reads the state through a short-lived cache (`cacheMs`), so a prediction costs no store
 * round trip in the common case, and a store that is down does not stop predictions: the last known state
 * is used and a warning is logged.
 */
import type { DeploymentPlan, PlanNode } from '../plan/types.ts';
import type { Clock, Rng } from '../time/index.ts';
import type { StateStore } from '../state/index.ts';
import { ROUTERS, reconcileState } from '../routers/index.ts';
import type { BanditState, RouteDecision, RouterModule } from '../routers/index.ts';

export interface RouterSnapshot {
  node: string;
  router: string;
  children: string[];
  learns: boolean;
  state: BanditState;
}

export interface RouterRunner {
  isBuiltin(node: string): boolean;
  decide(node: PlanNode): Promise<RouteDecision>;
  /** Applies a reward to the arm a router chose; `false` when this puid's feedback was already applied. */
  reward(node: PlanNode, arm: number, reward: number, puid?: string): Promise<boolean>;
  snapshot(): Promise<RouterSnapshot[]>;
}

interface Entry {
  node: PlanNode;
  module: RouterModule<unknown>;
  params: unknown;
  state: BanditState;
  readAt: number;
}

export function stateKey(graph: string, node: string): string {
  return `switchyard:${graph}:router:${node}`;
}

export function createRouterRunner({
  plan,
  store,
  rng,
  clock,
  cacheMs = 1000,
  warn = () => {},
}: {
  plan: DeploymentPlan;
  store: StateStore;
  rng: Rng;
  clock: Clock;
  cacheMs?: number;
  warn?: (message: string) => void;
}): RouterRunner {
  const entries = new Map<string, Entry>();
  for (const node of Object.values(plan.nodes)) {
    if (node.implementation.kind !== 'router') continue;
    const module = ROUTERS[node.implementation.router] as RouterModule<unknown>;
    const params = module.parseParameters(node.implementation.parameters, node.children.length);
    entries.set(node.name, { node, module, params, state: module.initialState(node.children.length), readAt: -Infinity });
  }

  async function fresh(entry: Entry): Promise<Entry> {
    if (clock.now() - entry.readAt < cacheMs) return entry;
    try {
      const stored = await store.get<BanditState>(stateKey(plan.graph, entry.node.name));
      if (stored !== undefined) entry.state = reconcileState(stored, entry.node.children.length);
      entry.readAt = clock.now();
    } catch (error) {
      warn(`router "${entry.node.name}": state store unavailable, deciding on the last known state (${(error as Error).message})`);
      entry.readAt = clock.now();
    }
    return entry;
  }

  function entryOf(node: PlanNode): Entry {
    const entry = entries.get(node.name);
    if (entry === undefined) throw new Error(`node "${node.name}" is not a built-in router`);
    return entry;
  }

  return {
    isBuiltin: (name) => entries.has(name),
    async decide(node) {
      const entry = await fresh(entryOf(node));
      return entry.module.decide(entry.state, entry.params, rng);
    },
    async reward(node, arm, reward, puid) {
      const entry = entryOf(node);
      if (!entry.module.learns) return true;
      if (puid !== undefined && !(await store.once(`${stateKey(plan.graph, node.name)}:feedback`, puid))) return false;
      const next = await store.update<BanditState>(stateKey(plan.graph, node.name), (current) =>
        entry.module.update(reconcileState(current, node.children.length), entry.params, arm, reward),
      );
      entry.state = next;
      entry.readAt = clock.now();
      return true;
    },
    async snapshot() {
      const out: RouterSnapshot[] = [];
      for (const entry of entries.values()) {
        await fresh({ ...entry, readAt: -Infinity }).then((e) => (entry.state = e.state)).catch(() => {});
        out.push({
          node: entry.node.name,
          router: entry.module.name,
          children: entry.node.children,
          learns: entry.module.learns,
          state: entry.state,
        });
      }
      return out;
    },
  };
}
