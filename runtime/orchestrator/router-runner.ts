/**
 * @module Runs the graph's built-in routers in-process: decisions from the current bandit state, rewards
 * from feedback, state kept in a `StateStore` so that it survives restarts and is shared by replicas.
 *
 * Decisions read the state through a cache (`cacheMs`, default 1 s): a prediction costs no store round trip in the
 * common case, and with several replicas a replica decides on a state at most `cacheMs` older than the store's
 * (rewards themselves are never cached: each is an atomic update in the store, applied once per puid). A replica's
 * own rewards refresh its cache at once.
 *
 * A store that is down does not stop predictions: the first read that fails marks it unavailable (`StateHealth`,
 * which warns, rate-limited); from then on decisions use the last known state without waiting, while a background
 * read every `cacheMs` finds out when the store is back. A reward that fails rejects with a `StateStoreError`
 * (the caller queues it); an error thrown by the router itself (a bad arm) is passed on as it is.
 */
import type { DeploymentPlan, PlanNode } from '../plan/types.ts';
import { seededRng, type Clock, type Rng } from '../time/index.ts';
import { StateStoreError, type StateStore } from '../state/index.ts';
import { ROUTERS, reconcileState } from '../routers/index.ts';
import type { BanditState, RouteDecision, RouterModule } from '../routers/index.ts';
import { createStateHealth, type StateHealth } from './state-health.ts';

export interface RouterSnapshot {
  node: string;
  router: string;
  children: string[];
  learns: boolean;
  state: BanditState;
  /** False when the state could not be read from the store just now: it is this replica's last known state. */
  fresh: boolean;
}

export interface RouterRunner {
  isBuiltin(node: string): boolean;
  /** `message`: what reaches the router node (the switch router routes by it). */
  decide(node: PlanNode, message?: unknown): Promise<RouteDecision>;
  /**
   * Applies a reward to the arm a router chose; `false` when this puid's feedback was already applied. Rejects with
   * a `StateStoreError` when the store failed (nothing was applied, or it was applied with its puid recorded).
   */
  reward(node: PlanNode, arm: number, reward: number, puid?: string): Promise<boolean>;
  snapshot(): Promise<RouterSnapshot[]>;
}

interface Entry {
  node: PlanNode;
  module: RouterModule<unknown>;
  params: unknown;
  /** The router's own generator when its parameters carry a `seed` (reproducible choices), else the shared one. */
  rng: Rng;
  state: BanditState;
  readAt: number;
  /** Whether the last read from the store succeeded. */
  fresh: boolean;
  /** Bumped by each reward, so that an older read in flight does not overwrite a newer state. */
  version: number;
  refreshing?: Promise<void> | undefined;
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
  health = createStateHealth({ clock, where: `${store.kind} ${store.location}`, warn: () => {}, info: () => {} }),
}: {
  plan: DeploymentPlan;
  store: StateStore;
  rng: Rng;
  clock: Clock;
  cacheMs?: number;
  health?: StateHealth;
}): RouterRunner {
  const entries = new Map<string, Entry>();
  for (const node of Object.values(plan.nodes)) {
    if (node.implementation.kind !== 'router') continue;
    const module = ROUTERS[node.implementation.router] as RouterModule<unknown>;
    const params = module.parseParameters(node.implementation.parameters, node.children.length, node.children);
    const seed = node.implementation.parameters['seed'];
    entries.set(node.name, {
      node,
      module,
      params,
      rng: typeof seed === 'number' ? seededRng(seed) : rng,
      state: module.initialState(node.children.length),
      readAt: -Infinity,
      fresh: false,
      version: 0,
    });
  }

  /** Reads the entry's state from the store; one read at a time per router. */
  function refresh(entry: Entry): Promise<void> {
    entry.refreshing ??= (async () => {
      const version = entry.version;
      try {
        const stored = await store.get<BanditState>(stateKey(plan.graph, entry.node.name));
        if (entry.version === version && stored !== undefined) entry.state = reconcileState(stored, entry.node.children.length);
        entry.fresh = true;
        health.ok();
      } catch (error) {
        entry.fresh = false;
        health.failed(`reading router "${entry.node.name}"`, error);
      } finally {
        entry.readAt = clock.now();
        entry.refreshing = undefined;
      }
    })();
    return entry.refreshing;
  }

  /** The entry with a state no older than `maxAgeMs`, or, while the store is down, at once with the last known one. */
  async function current(entry: Entry, maxAgeMs: number): Promise<Entry> {
    if (clock.now() - entry.readAt < maxAgeMs) return entry;
    const reading = refresh(entry);
    if (health.available) await reading;
    return entry;
  }

  function entryOf(node: PlanNode): Entry {
    const entry = entries.get(node.name);
    if (entry === undefined) throw new Error(`node "${node.name}" is not a built-in router`);
    return entry;
  }

  return {
    isBuiltin: (name) => entries.has(name),
    async decide(node, message) {
      const entry = await current(entryOf(node), cacheMs);
      return entry.module.decide(entry.state, entry.params, entry.rng, message);
    },
    async reward(node, arm, reward, puid) {
      const entry = entryOf(node);
      if (!entry.module.learns) return true;
      const key = stateKey(plan.graph, node.name);
      let routerError: { error: unknown } | undefined;
      const apply = (stored: BanditState | undefined): BanditState => {
        try {
          return entry.module.update(reconcileState(stored, node.children.length), entry.params, arm, reward);
        } catch (error) {
          routerError = { error };
          throw error;
        }
      };
      let outcome: { applied: boolean; value: BanditState | undefined };
      try {
        outcome = puid === undefined ? { applied: true, value: await store.update(key, apply) } : await store.updateOnce(key, puid, apply);
      } catch (error) {
        if (routerError !== undefined && routerError.error === error) {
          health.ok(); // the store answered: the router refused the reward
          throw error;
        }
        health.failed(`applying feedback to router "${node.name}"`, error);
        throw error instanceof StateStoreError
          ? error
          : new StateStoreError(store.kind, `state store ${store.location}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
      health.ok();
      if (outcome.value !== undefined) {
        entry.state = reconcileState(outcome.value, node.children.length);
        entry.version++;
        entry.readAt = clock.now();
        entry.fresh = true;
      }
      return outcome.applied;
    },
    async snapshot() {
      const out: RouterSnapshot[] = [];
      for (const entry of entries.values()) {
        await current(entry, 0);
        out.push({
          node: entry.node.name,
          router: entry.module.name,
          children: entry.node.children,
          learns: entry.module.learns,
          state: entry.state,
          fresh: entry.fresh && health.available,
        });
      }
      return out;
    },
  };
}
