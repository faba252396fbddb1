/**
 * @module The orchestrator: one graph's front door logic, independent of HTTP.
 *
 * `predict` walks the graph for a Seldon message; `feedback` turns rewards into bandit updates; `routers`
 * reports each router's learned state. The HTTP app (app.ts) and the protocol codecs sit on top of it.
 */
import type { ActivationMode, DeploymentPlan } from '../plan/types.ts';
import type { SeldonFeedback, SeldonMessage } from '../protocol/seldon-types.ts';
import type { StateStore } from '../state/index.ts';
import type { Clock, Rng } from '../time/index.ts';
import { applyFeedback, type FeedbackResult } from './feedback.ts';
import { createNodeClient, type Endpoints, type FrameRoutes } from './node-client.ts';
import { createFusedClient } from './fused-client.ts';
import { createRemoteClient, type RemoteGrpcClients } from './remote-client.ts';
import type { LoadedNode, NodeMetadata } from '../host/types.ts';
import { newPuid } from './puid.ts';
import type { RouterSnapshot } from './router-runner.ts';
import { createStateKeeping, type StateKeepingOptions, type StateStatus } from './state-keeping.ts';
import { createWalker, type Walker, type WalkRecord } from './walker.ts';
import { createGraphMetadata, type GraphMetadata } from './graph-metadata.ts';
import type { OrchestratorMetrics } from './metrics.ts';
import { activeTraceId, annotateRequest, TRACE_ID_TAG } from '../tracing/index.ts';
import { createPayloadLogSender, type PayloadLogSender } from '../payload-log/index.ts';
import { createPayloadLogging, type PayloadLogging } from './payload-logging.ts';
import { createShadowReport } from './shadow-report.ts';
import { createShadowStats, type ShadowView } from './shadow-stats.ts';
import { compareAnswers } from './shadow-compare.ts';
import { createGraphActivation } from './graph-activation.ts';
import { keepAliveFetch } from '../http/client.ts';
import { withCallMetrics } from './node-call-metrics.ts';

export interface Orchestrator {
  plan: DeploymentPlan;
  predict(request: SeldonMessage, headers?: Record<string, string>): Promise<{ response: SeldonMessage; record: WalkRecord }>;
  feedback(feedback: SeldonFeedback, headers?: Record<string, string>): Promise<FeedbackResult>;
  routers(): Promise<RouterSnapshot[]>;
  /** Where router state lives, whether it answers, and the feedback waiting for it (GET /api/v1.0/routers). */
  state(): StateStatus;
  /** On shutdown: applies queued feedback within `timeoutMs`, reports what is lost, closes the state store. */
  close(timeoutMs: number): Promise<void>;
  /** The graph's V2 input and output metadata, from its nodes' (cached once complete). */
  metadata?(headers?: Record<string, string>): Promise<GraphMetadata>;
  /** One node's own metadata (undefined: it declares none). */
  nodeMetadata?(node: string, headers?: Record<string, string>): Promise<NodeMetadata | undefined>;
  /** Payload logging, when the graph or a node has a `logger` (the app logs the graph's own payloads). */
  payloadLog?: PayloadLogging | undefined;
  /** Each shadow's walks and how its answers compared with its node's, since this replica started. */
  shadows?(): ShadowView[];
}

export interface OrchestratorOptions {
  plan: DeploymentPlan;
  endpoints: Endpoints;
  store: StateStore;
  rng: Rng;
  clock: Clock;
  metrics?: OrchestratorMetrics;
  warn?: (message: string) => void;
  /** The state store answering again, queued feedback applied. */
  info?: (message: string) => void;
  /** How router state is kept: this replica's name, the decision cache, the feedback queue's bounds. */
  stateKeeping?: Pick<StateKeepingOptions, 'replica' | 'cacheMs' | 'warnEveryMs' | 'queue'>;
  fetchImpl?: typeof fetch;
  /** Origins (e.g. `http://127.0.0.1:8080`) to call over the frame transport's Unix socket instead (the local engine's gateway). */
  frameRoutes?: FrameRoutes;
  /** Nodes fused into the orchestrator (spec.fusion: auto), called in-process; may be filled after creation. */
  fusedNodes?: ReadonlyMap<string, LoadedNode>;
  /** Makes the gRPC clients of `grpc-v2` and `seldon-grpc` remote nodes (required when the graph has one; functions/orchestrator/grpc-client.ts). */
  grpcClients?: () => RemoteGrpcClients;
  /** Where payload-log events go (default: a background sender, used only when the graph or a node has a `logger`). */
  payloadLogSender?: PayloadLogSender;
  /** Whether a request after an idle spell wakes every function (./graph-activation.ts); default: the plan's `activation`. */
  activation?: ActivationMode;
}

export function createOrchestrator(options: OrchestratorOptions): Orchestrator {
  const { plan, metrics } = options;
  const http = createNodeClient({
    endpoints: options.endpoints,
    ...(options.fetchImpl ? { fetchImpl: options.fetchImpl } : {}),
    ...(options.frameRoutes ? { frameRoutes: options.frameRoutes } : {}),
  });
  // Remote nodes (model servers elsewhere) are called by the remote client; fused ones in-process; the rest over HTTP.
  const remote = createRemoteClient(plan, options.fusedNodes ? createFusedClient(options.fusedNodes, http) : http, {
    ...(options.fetchImpl ? { fetchImpl: options.fetchImpl } : {}),
    ...(options.grpcClients ? { grpcClients: options.grpcClients } : {}),
  });
  // Every node call timed for Seldon's client series (walks and feedback).
  const client = metrics === undefined ? remote : withCallMetrics(remote, (node, path, code, seconds) => metrics.seldonClient(node, path, code, seconds));
  const kept = createStateKeeping({
    plan,
    store: options.store,
    rng: options.rng,
    clock: options.clock,
    ...(options.warn ? { warn: options.warn } : {}),
    ...(options.info ? { info: options.info } : {}),
    ...(metrics ? { registry: metrics.registry } : {}),
    ...options.stateKeeping,
  });
  const routers = kept.routers;
  // Undefined (and the sender never used) unless the graph or a node has a logger.
  const payloadLog = createPayloadLogging(
    plan,
    options.payloadLogSender ??
      createPayloadLogSender({
        ...(options.warn ? { warn: options.warn } : {}),
        ...(metrics ? { onOutcome: (outcome) => metrics.payloadLog(outcome) } : {}),
      }),
  );
  const report = createShadowReport({
    clock: options.clock,
    ...(metrics ? { count: (outcome) => metrics.shadow(outcome.of, outcome.shadow, outcome.outcome) } : {}),
    ...(options.warn ? { warn: options.warn } : {}),
  });
  const shadowStats = createShadowStats(Object.values(plan.nodes).flatMap((node) => (node.shadows ?? []).map((shadow) => [node.name, shadow] as const)));
  const walker = createWalker({
    plan,
    client,
    routers,
    payloadLog,
    onShadow: (outcome) => (shadowStats.walked(outcome), report(outcome)),
    onShadowAnswer: (node, shadow, answer, shadowAnswer) => {
      const comparison = compareAnswers(answer, shadowAnswer);
      if (comparison === undefined) return;
      shadowStats.compared(node, shadow, comparison);
      metrics?.shadowCompared(node, shadow, comparison);
    },
  });
  const activation = createGraphActivation({
    plan,
    endpoints: options.endpoints,
    mode: options.activation ?? plan.activation ?? 'graph',
    fetchImpl: options.fetchImpl ?? keepAliveFetch(),
    now: () => options.clock.now(),
    onWake: (functions, idleMs) => {
      for (const fn of functions) metrics?.wake(fn);
      options.info?.(`graph activation: ${Number.isFinite(idleMs) ? `idle ${Math.round(idleMs / 1000)} s` : 'first request'}; waking ${functions.join(', ')}`);
    },
  });
  const graphMetadata = createGraphMetadata({
    plan,
    endpoints: options.endpoints,
    fusedNodes: options.fusedNodes,
    grpcMetadata: remote.grpcMetadata,
    ...(options.fetchImpl ? { fetchImpl: options.fetchImpl } : {}),
  });
  return {
    plan,
    async predict(request, headers = {}) {
      activation.onRequest(headers);
      const puid = request.meta?.puid || newPuid();
      annotateRequest({ graph: plan.graph, puid });
      let reached: WalkRecord | undefined;
      let result: Awaited<ReturnType<Walker['run']>>;
      try {
        result = await walker.run(request, { puid, headers, onRecord: (record) => (reached = record) });
      } catch (error) {
        // A failed request's trace still says how far it got: the last node of its route is where it failed.
        if (reached !== undefined) annotateRequest({ route: Object.keys(reached.requestPath) });
        throw error;
      }
      for (const [router, decision] of Object.entries(result.record.decisions)) metrics?.decision(router, decision.arm, decision.explore ?? false);
      annotateRequest({ route: Object.keys(result.record.requestPath) });
      // The response names its trace (Seldon meta.tags; V2 parameters["tags.trace-id"]).
      const traceId = activeTraceId();
      if (traceId !== undefined) {
        const meta = (result.response.meta ??= {});
        meta.tags = { ...meta.tags, [TRACE_ID_TAG]: traceId };
      }
      return result;
    },
    async feedback(feedback, headers = {}) {
      const result = await applyFeedback(feedback, { plan, routers, client, headers, pending: kept.pending });
      for (const applied of result.applied) metrics?.reward(applied.router, applied.arm, result.reward);
      return result;
    },
    routers: () => routers.snapshot(),
    state: () => kept.status(),
    // Payload-log events still waiting get a moment (at most 2 s) before the process goes.
    close: async (timeoutMs) => (await payloadLog?.flush(Math.min(timeoutMs, 2000)), await kept.close(timeoutMs), remote.close()),
    metadata: (headers) => graphMetadata.get(headers),
    nodeMetadata: (node, headers) => graphMetadata.node(node, headers),
    payloadLog,
    shadows: () => shadowStats.snapshot(),
  };
}
