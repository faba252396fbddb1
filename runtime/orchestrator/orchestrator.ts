/**
 * @module The orchestrator: one graph's front door logic, independent of HTTP.
 *
 * `predict` walks the graph for a Seldon message; `feedback` turns rewards into bandit updates; `routers`
 * reports each router's learned state. The HTTP app (app.ts) and the protocol codecs sit on top of it.
 */
import type { DeploymentPlan } from '../plan/types.ts';
import type { SeldonFeedback, SeldonMessage } from '../protocol/seldon-types.ts';
import type { StateStore } from '../state/index.ts';
import type { Clock, Rng } from '../time/index.ts';
import { applyFeedback, type FeedbackResult } from './feedback.ts';
import { createNodeClient, type Endpoints } from './node-client.ts';
import { createFusedClient } from './fused-client.ts';
import type { LoadedNode } from '../host/types.ts';
import { newPuid } from './puid.ts';
import { createRouterRunner, type RouterSnapshot } from './router-runner.ts';
import { createWalker, type WalkRecord } from './walker.ts';
import type { OrchestratorMetrics } from './metrics.ts';

export interface Orchestrator {
  plan: DeploymentPlan;
  predict(request: SeldonMessage, headers?: Record<string, string>): Promise<{ response: SeldonMessage; record: WalkRecord }>;
  feedback(feedback: SeldonFeedback, headers?: Record<string, string>): Promise<FeedbackResult>;
  routers(): Promise<RouterSnapshot[]>;
}

export interface OrchestratorOptions {
  plan: DeploymentPlan;
  endpoints: Endpoints;
  store: StateStore;
  rng: Rng;
  clock: Clock;
  metrics?: OrchestratorMetrics;
  warn?: (message: string) => void;
  fetchImpl?: typeof fetch;
  /** Nodes fused into the orchestrator (spec.fusion: auto), called in-process; may be filled after creation. */
  fusedNodes?: ReadonlyMap<string, LoadedNode>;
}

export function createOrchestrator(options: OrchestratorOptions): Orchestrator {
  const { plan, metrics } = options;
  const http = createNodeClient({ endpoints: options.endpoints, ...(options.fetchImpl ? { fetchImpl: options.fetchImpl } : {}) });
  const client = options.fusedNodes ? createFusedClient(options.fusedNodes, http) : http;
  const routers = createRouterRunner({
    plan,
    store: options.store,
    rng: options.rng,
    clock: options.clock,
    ...(options.warn ? { warn: options.warn } : {}),
  });
  const walker = createWalker({ plan, client, routers });
  return {
    plan,
    async predict(request, headers = {}) {
      const puid = request.meta?.puid || newPuid();
      const result = await walker.run(request, { puid, headers });
      for (const [router, decision] of Object.entries(result.record.decisions)) metrics?.decision(router, decision.arm, decision.explore);
      return result;
    },
    async feedback(feedback, headers = {}) {
      const result = await applyFeedback(feedback, { plan, routers, client, headers });
      for (const applied of result.applied) metrics?.reward(applied.router, applied.arm, result.reward);
      return result;
    },
    routers: () => routers.snapshot(),
  };
}
