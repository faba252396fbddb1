/**
 * @module Calls remote nodes — model servers that run elsewhere — and hands every other call on.
 *
 * A `seldon` remote is called on Seldon's component paths, as Seldon Core's executor calls a microservice; a `v2`
 * remote (KServe, Triton, MLServer) on `/v2/models/<model>/infer` and a `kserve-v1` remote on
 * `/v1/models/<model>:predict`, their answers turned back into Seldon messages (protocol/v2-remote.ts,
 * protocol/kserve-v1-remote.ts); a `seldon-deployment` remote, a whole graph, on `/api/v1.0/predictions`. Either way the call is plain JSON (no packed bodies), keeps the node's timeout, span
 * and error mapping (node-client.ts), carries the trace context, and never forwards the client's
 * `Authorization`: those credentials are for this graph, not for a server elsewhere.
 */
import type { DeploymentPlan, PlanNode } from '../plan/types.ts';
import { ProtocolError } from '../protocol/errors.ts';
import type { SeldonMessage } from '../protocol/seldon-types.ts';
import { inferenceResponseToSeldon, seldonToInferenceRequest } from '../protocol/v2-remote.ts';
import { predictResponseToSeldon, seldonToPredictRequest } from '../protocol/kserve-v1-remote.ts';
import { NodeCallError } from './errors.ts';
import { createNodeClient, type NodeClient } from './node-client.ts';
import { withoutCredentials } from '../http/without-credentials.ts';

export function createRemoteClient(plan: DeploymentPlan, local: NodeClient, options: { fetchImpl?: typeof fetch } = {}): NodeClient {
  const endpoints: Record<string, string> = {};
  for (const node of Object.values(plan.nodes)) if (node.implementation.kind === 'remote') endpoints[node.function] = node.implementation.url;
  if (Object.keys(endpoints).length === 0) return local;
  const remote = createNodeClient({ endpoints, packed: false, ...(options.fetchImpl ? { fetchImpl: options.fetchImpl } : {}) });

  /** A model server that only predicts, in its own protocol: the Seldon message converted there and back. */
  const callPredictor = async (node: PlanNode, path: string, body: unknown, headers: Record<string, string>): Promise<SeldonMessage> => {
    const impl = node.implementation as Extract<PlanNode['implementation'], { kind: 'remote' }>;
    const wire = WIRES[impl.protocol as Exclude<RemoteImplementation['protocol'], 'seldon'>];
    if (path !== '/predict') {
      throw new NodeCallError({
        status: 501, node: node.name, function: node.function, reason: 'not_implemented',
        message: `node "${node.name}" is ${wire.server} at ${impl.url}: it answers predictions only, not ${path}`,
      });
    }
    const message = body as SeldonMessage;
    let request: unknown;
    try {
      request = wire.request(message, impl);
    } catch (error) {
      const err = error as ProtocolError;
      throw new NodeCallError({ status: 400, node: node.name, function: node.function, reason: err.reason ?? 'invalid_message', message: `node "${node.name}": ${err.message}`, ...(err.field ? { field: err.field } : {}), cause: error });
    }
    const answer = await remote.call(node, wire.path(impl.model), request, { headers });
    try {
      return wire.answer(answer, message, impl);
    } catch (error) {
      throw new NodeCallError({
        status: 502, node: node.name, function: node.function, reason: 'node_bad_response',
        message: `node "${node.name}" (${wire.server} at ${impl.url}) answered with a body that cannot be read: ${(error as Error).message}`,
      });
    }
  };

  return {
    async call(node, path, body, context = {}) {
      const impl = node.implementation;
      if (impl.kind !== 'remote') return local.call(node, path, body, context);
      const headers = withoutCredentials(context.headers);
      return impl.protocol === 'seldon' ? remote.call(node, path, body, { headers }) : callPredictor(node, path, body, headers);
    },
  };
}

type RemoteImplementation = Extract<PlanNode['implementation'], { kind: 'remote' }>;

/** How a predict-only protocol is spoken: its path, its request, its answer. */
interface Wire {
  server: string;
  path(model: string): string;
  request(message: SeldonMessage, impl: RemoteImplementation): unknown;
  answer(response: unknown, request: SeldonMessage, impl: RemoteImplementation): SeldonMessage;
}

const V2: Wire = {
  server: 'an Open Inference Protocol server',
  path: (model) => `/v2/models/${encodeURIComponent(model)}/infer`,
  request: (message, impl) => seldonToInferenceRequest(message, { name: impl.inputName, datatype: impl.datatype, id: message.meta?.puid, outputName: impl.outputName }),
  answer: (response, request, impl) => inferenceResponseToSeldon(response, request, impl.outputName),
};

const KSERVE_V1: Wire = {
  server: 'a KServe V1 predictor',
  path: (model) => `/v1/models/${encodeURIComponent(model)}:predict`,
  request: (message) => seldonToPredictRequest(message),
  answer: (response, request) => predictResponseToSeldon(response, request),
};

/**
 * A whole graph behind Seldon's external API (a SeldonDeployment, another Switchyard graph): the message goes as it
 * is, with this prediction's puid, so feedback can be matched across both graphs; its answer keeps its payload,
 * tags and metrics, not the other graph's routing (which names nodes of that graph).
 */
const SELDON_DEPLOYMENT: Wire = {
  server: 'a Seldon graph',
  path: () => '/api/v1.0/predictions',
  request: (message) => message,
  answer: (response, request) => {
    const answer = response as SeldonMessage | null;
    if (answer === null || typeof answer !== 'object' || Array.isArray(answer)) throw new Error(`expected a Seldon message, received ${JSON.stringify(response).slice(0, 100)}`);
    const { meta, ...payload } = answer;
    return { ...payload, meta: { ...request.meta, ...(meta?.tags ? { tags: meta.tags } : {}), ...(meta?.metrics ? { metrics: meta.metrics } : {}) } };
  },
};

const WIRES = { v2: V2, 'kserve-v1': KSERVE_V1, 'seldon-deployment': SELDON_DEPLOYMENT } as const;
