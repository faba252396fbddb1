/**
 * @module Which payloads the orchestrator logs, and as what events: the graph's `logger` sees each request,
 * response and feedback as the client sent and received them; a node's `logger` sees what the node was given and
 * what it answered (built-in routers answer as a Seldon `/route` would: `{"data":{"ndarray":[[arm]]}}`).
 */
import { randomUUID } from 'node:crypto';
import type { DeploymentPlan, PayloadLoggerMode, PlanNode } from '../plan/types.ts';
import type { PayloadKind, PayloadLogSender, PayloadProtocol } from '../payload-log/index.ts';
import { activeTraceparent } from '../tracing/index.ts';

export interface PayloadLogging {
  /** Whether the graph's logger takes events of this kind (so a caller can skip the work when not). */
  graphWants(kind: PayloadKind): boolean;
  graph(kind: PayloadKind, protocol: PayloadProtocol, endpoint: string, puid: string | undefined, body: unknown): void;
  /** A node's payload, when the node has a logger whose mode takes it. */
  node(node: PlanNode, kind: 'request' | 'response', endpoint: string, puid: string, body: unknown): void;
  flush(timeoutMs: number): Promise<void>;
}

/**
 * Undefined when neither the graph nor any node has a logger. `now` and `newId` give each event its time and id
 * (default: the clock, random UUIDs).
 */
export function createPayloadLogging(
  plan: DeploymentPlan,
  sender: PayloadLogSender,
  { now = () => new Date(), newId = randomUUID }: { now?: () => Date; newId?: () => string } = {},
): PayloadLogging | undefined {
  const graphLogger = plan.logger;
  if (graphLogger === undefined && !Object.values(plan.nodes).some((node) => node.logger !== undefined)) return undefined;
  const source = `/switchyard/${plan.namespace}/${plan.graph}`;
  const emit = (url: string, kind: PayloadKind, fields: { modelId: string; source: string; endpoint: string; protocol: PayloadProtocol; puid: string | undefined }, body: unknown) =>
    sender.send(
      url,
      {
        kind,
        id: newId(),
        source: fields.source,
        time: now(),
        requestId: fields.puid,
        modelId: fields.modelId,
        graph: plan.graph,
        namespace: plan.namespace,
        endpoint: fields.endpoint,
        protocol: fields.protocol,
        traceparent: activeTraceparent(),
      },
      body,
    );
  const graphWants = (kind: PayloadKind) => graphLogger !== undefined && takes(graphLogger.mode, kind);
  return {
    graphWants,
    graph(kind, protocol, endpoint, puid, body) {
      if (!graphWants(kind)) return;
      emit(graphLogger!.url, kind, { modelId: plan.graph, source, endpoint, protocol, puid }, body);
    },
    node(node, kind, endpoint, puid, body) {
      const logger = node.logger;
      if (logger === undefined || !takes(logger.mode, kind)) return;
      emit(logger.url, kind, { modelId: node.name, source: `${source}/nodes/${node.name}`, endpoint, protocol: 'seldon', puid }, body);
    },
    flush: (timeoutMs) => sender.flush(timeoutMs),
  };
}

/** `all` takes everything; `request` requests and feedback (what clients send); `response` responses. */
function takes(mode: PayloadLoggerMode, kind: PayloadKind): boolean {
  if (mode === 'all') return true;
  return mode === 'response' ? kind === 'response' : kind !== 'response';
}
