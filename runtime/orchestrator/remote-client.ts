/**
 * @module Calls remote nodes — model servers that run elsewhere — and hands every other call on.
 *
 * A `seldon` remote is called on Seldon's component paths, as Seldon Core's executor calls a microservice; a `v2`
 * remote (KServe, Triton, MLServer) on `/v2/models/<model>/infer` and a `kserve-v1` remote on
 * `/v1/models/<model>:predict`, their answers turned back into Seldon messages (protocol/v2-remote.ts,
 * protocol/kserve-v1-remote.ts); a `seldon-deployment` remote, a whole graph, on `/api/v1.0/predictions`. Either way the call is plain JSON (no packed bodies), keeps the node's timeout, span
 * and error mapping (node-client.ts), carries the trace context, and never forwards the client's
 * `Authorization`: those credentials are for this graph, not for a server elsewhere.
 *
 * A `grpc-v2` remote is the same Open Inference Protocol over gRPC (`ModelInfer`), and a `seldon-grpc` remote a
 * Seldon microservice over gRPC (`seldon.protos.Model/Predict`, `Router/Route`, …, grpc/seldon-client.ts): each
 * call with the node's timeout as its deadline, the trace context as metadata, its span, and its status mapped as
 * an HTTP status would be. The gRPC clients (grpc-js) are handed in by the orchestrator's entry, which the
 * compiler bundles them into only when the graph has such a node (functions/orchestrator/grpc-client.ts).
 */
import { isGrpcRemote, type DeploymentPlan, type PlanNode } from '../plan/types.ts';
import { ProtocolError } from '../protocol/errors.ts';
import type { SeldonMessage } from '../protocol/seldon-types.ts';
import type { InferenceRequest } from '../protocol/v2-types.ts';
import { inferenceResponseToSeldon, seldonToInferenceRequest } from '../protocol/v2-remote.ts';
import { predictResponseToSeldon, seldonToPredictRequest } from '../protocol/kserve-v1-remote.ts';
import { NodeCallError } from './errors.ts';
import { createNodeClient, type NodeClient } from './node-client.ts';
import { withoutCredentials } from '../http/without-credentials.ts';
import { GrpcCallError } from '../grpc/call-error.ts';
import type { GrpcUnaryCall } from '../grpc/unary-client.ts';
import { modelInferResponseToRest, restToModelInferRequest } from '../grpc/infer-client-codec.ts';
import type { GrpcInferClient } from '../grpc/infer-client.ts';
import { SELDON_GRPC_METHODS, type SeldonGrpcClient } from '../grpc/seldon-client.ts';
import { tensorMetadataList } from '../grpc/seldon-codec.ts';
import type { NodeMetadata } from '../host/types.ts';
import { traceNodeCall } from '../tracing/node-call.ts';

/** The gRPC clients of remote nodes, over one channel per server (functions/orchestrator/grpc-client.ts). */
export interface RemoteGrpcClients {
  /** The Open Inference Protocol's, for `grpc-v2` nodes. */
  readonly infer: GrpcInferClient;
  /** Seldon's component services, for `seldon-grpc` nodes. */
  readonly seldon: SeldonGrpcClient;
  /** Closes every channel. */
  close(): void;
}

export interface RemoteClientOptions {
  fetchImpl?: typeof fetch;
  /** Makes the gRPC clients of `grpc-v2` and `seldon-grpc` nodes (called once, at the first such call). */
  grpcClients?: () => RemoteGrpcClients;
}

/** The remote client, and how to close what it holds open (gRPC channels). */
export type RemoteClient = NodeClient & {
  close(): void;
  /** A `grpc-v2` or `seldon-grpc` node's own metadata, asked of its server (ModelMetadata, Model/Metadata). */
  grpcMetadata?(node: PlanNode, headers: Record<string, string>): Promise<NodeMetadata>;
};

export function createRemoteClient(plan: DeploymentPlan, local: NodeClient, options: RemoteClientOptions = {}): RemoteClient {
  const endpoints: Record<string, string> = {};
  let grpcNodes = 0;
  for (const node of Object.values(plan.nodes)) {
    if (node.implementation.kind !== 'remote') continue;
    endpoints[node.function] = node.implementation.url;
    if (isGrpcRemote(node.implementation)) grpcNodes++;
  }
  if (Object.keys(endpoints).length === 0) return { call: local.call, close() {} };
  if (grpcNodes > 0 && options.grpcClients === undefined) {
    throw new Error(`graph "${plan.graph}" has gRPC remote nodes but this orchestrator was built without the gRPC client; rebuild it with switchyard compile`);
  }
  const remote = createNodeClient({ endpoints, packed: false, ...(options.fetchImpl ? { fetchImpl: options.fetchImpl } : {}) });
  let grpc: RemoteGrpcClients | undefined;
  const grpcClients = () => (grpc ??= options.grpcClients!());

  /** A model server that only predicts, in its own protocol: the Seldon message converted there and back. */
  const callPredictor = async (node: PlanNode, path: string, body: unknown, headers: Record<string, string>): Promise<SeldonMessage> => {
    const impl = node.implementation as RemoteImplementation;
    const wire = WIRES[impl.protocol as PredictorProtocol];
    const message = body as SeldonMessage;
    const request = convertRequest(node, path, wire, () => wire.request(message, impl));
    const answer = await wire.send(node, request, headers);
    try {
      return wire.answer(answer, message, impl);
    } catch (error) {
      throw new NodeCallError({
        status: 502, node: node.name, function: node.function, reason: 'node_bad_response',
        message: `node "${node.name}" (${wire.server} at ${impl.url}) answered with a body that cannot be read: ${(error as Error).message}`,
      });
    }
  };

  const overHttp = (path: (model: string) => string) => (node: PlanNode, request: unknown, headers: Record<string, string>) =>
    remote.call(node, path((node.implementation as RemoteImplementation).model), request, { headers });

  /**
   * One gRPC call for a node's `path` (`method` names it in errors), in its own client span, its status mapped as
   * node-client.ts maps an HTTP answer's.
   */
  const overGrpc = <T>(node: PlanNode, path: string, method: string, send: (clients: RemoteGrpcClients, call: GrpcUnaryCall) => Promise<T>, headers: Record<string, string>) => {
    const impl = node.implementation as RemoteImplementation;
    const target = { node: node.name, type: node.type, function: node.function, path, url: impl.url };
    return traceNodeCall(target, async (traced) => {
      try {
        const answer = await send(grpcClients(), { metadata: { ...headers, ...traced.headers }, timeoutMs: node.timeoutMs });
        traced.response(new Response(null, { status: 200 }));
        return answer;
      } catch (error) {
        if (!(error instanceof GrpcCallError)) throw error;
        traced.response(new Response(null, { status: error.httpStatus }));
        throw grpcNodeError(node, impl, method, error);
      }
    });
  };

  /** A Seldon microservice over gRPC: the method Seldon's executor calls for `path`, its answer as JSON. */
  const callSeldonGrpc = async (node: PlanNode, path: string, body: unknown, headers: Record<string, string>) => {
    const impl = node.implementation as RemoteImplementation;
    const method = SELDON_GRPC_METHODS[path];
    if (method === undefined) {
      throw new NodeCallError({ status: 501, node: node.name, function: node.function, reason: 'not_implemented', message: `node "${node.name}" is a Seldon microservice at ${impl.url} (gRPC): Seldon's component services have no method for ${path}` });
    }
    try {
      return await overGrpc(node, path, method, (clients, call) => clients.seldon.call(impl.url, path, body, call), headers);
    } catch (error) {
      // The codec's refusal of an answer it cannot read (a node's own errors are NodeCallErrors already).
      if (!(error instanceof ProtocolError) || error instanceof NodeCallError) throw error;
      throw new NodeCallError({
        status: 502, node: node.name, function: node.function, reason: 'node_bad_response',
        message: `node "${node.name}" (a Seldon microservice at ${impl.url}, gRPC ${method}) answered with a message that cannot be read: ${error.message}`,
      });
    }
  };

  const WIRES: Record<PredictorProtocol, Wire> = {
    v2: { ...V2, send: overHttp(V2_PATH) },
    'kserve-v1': { ...KSERVE_V1, send: overHttp(KSERVE_V1_PATH) },
    'seldon-deployment': { ...SELDON_DEPLOYMENT, send: overHttp(() => '/api/v1.0/predictions') },
    'grpc-v2': {
      server: 'an Open Inference Protocol server (gRPC)',
      request: (message, impl) => restToModelInferRequest(V2.request(message, impl) as InferenceRequest, impl.model),
      answer: (response, request, impl) => inferenceResponseToSeldon(modelInferResponseToRest(response as Parameters<typeof modelInferResponseToRest>[0]), request, impl.outputName),
      send: (node, request, headers) => overGrpc(node, '/predict', 'ModelInfer', (clients, call) => clients.infer.infer((node.implementation as RemoteImplementation).url, request as ReturnType<typeof restToModelInferRequest>, call), headers),
    },
  };

  return {
    async call(node, path, body, context = {}) {
      const impl = node.implementation;
      if (impl.kind !== 'remote') return local.call(node, path, body, context);
      const headers = withoutCredentials(context.headers);
      if (impl.protocol === 'seldon') return remote.call(node, path, body, { headers });
      if (impl.protocol === 'seldon-grpc') return callSeldonGrpc(node, path, body, headers);
      return callPredictor(node, path, body, headers);
    },
    close() {
      grpc?.close();
    },
    async grpcMetadata(node, headers) {
      const impl = node.implementation as RemoteImplementation;
      const call = { metadata: withoutCredentials(headers), timeoutMs: node.timeoutMs };
      if (impl.protocol === 'seldon-grpc') return grpcClients().seldon.metadata(impl.url, call);
      const answer = await grpcClients().infer.metadata(impl.url, impl.model, call);
      return { name: answer.name || impl.model, platform: answer.platform ?? '', versions: answer.versions ?? [], inputs: tensorMetadataList(answer.inputs), outputs: tensorMetadataList(answer.outputs) };
    },
  };
}

/** The request in the server's protocol; a node that only predicts refuses other paths (501), bad input is a 400. */
function convertRequest(node: PlanNode, path: string, wire: Pick<Wire, 'server'>, convert: () => unknown): unknown {
  const impl = node.implementation as RemoteImplementation;
  if (path !== '/predict') {
    throw new NodeCallError({
      status: 501, node: node.name, function: node.function, reason: 'not_implemented',
      message: `node "${node.name}" is ${wire.server} at ${impl.url}: it answers predictions only, not ${path}`,
    });
  }
  try {
    return convert();
  } catch (error) {
    const err = error as ProtocolError;
    throw new NodeCallError({ status: 400, node: node.name, function: node.function, reason: err.reason ?? 'invalid_message', message: `node "${node.name}": ${err.message}`, ...(err.field ? { field: err.field } : {}), cause: error });
  }
}

/** A gRPC error status as node-client.ts treats the same HTTP status: 503 and 504 kept, 501 (UNIMPLEMENTED) kept, other 5xx 502, 4xx kept. */
function grpcNodeError(node: PlanNode, impl: RemoteImplementation, method: string, error: GrpcCallError): NodeCallError {
  const http = error.httpStatus;
  const who = `node "${node.name}" (gRPC server at ${impl.url})`;
  if (http === 504) {
    return new NodeCallError({ status: 504, node: node.name, function: node.function, reason: 'node_timeout', message: `${who} did not answer ${method} within ${node.timeoutMs} ms (${error.codeName})`, cause: error });
  }
  if (http === 503) {
    return new NodeCallError({ status: 503, node: node.name, function: node.function, reason: 'node_unavailable', message: `${who} is unavailable (${error.codeName}: ${error.details}); check that it runs and listens for gRPC there`, cause: error });
  }
  // UNIMPLEMENTED keeps its 501: the server lacks the method (a unit without SendFeedback), it did not fail.
  const kept = http < 500 || http === 501;
  return new NodeCallError({
    status: kept ? http : 502,
    node: node.name,
    function: node.function,
    reason: http === 501 ? 'not_implemented' : http >= 500 ? 'node_failed' : 'node_rejected',
    message: `${who} failed ${method}: ${error.codeName}: ${error.details}`,
    cause: error,
  });
}

type RemoteImplementation = Extract<PlanNode['implementation'], { kind: 'remote' }>;
type PredictorProtocol = Exclude<RemoteImplementation['protocol'], 'seldon' | 'seldon-grpc'>;

/** How a predict-only protocol is spoken: its request, how it is sent, its answer. */
interface Wire {
  server: string;
  request(message: SeldonMessage, impl: RemoteImplementation): unknown;
  send(node: PlanNode, request: unknown, headers: Record<string, string>): Promise<unknown>;
  answer(response: unknown, request: SeldonMessage, impl: RemoteImplementation): SeldonMessage;
}

const V2_PATH = (model: string) => `/v2/models/${encodeURIComponent(model)}/infer`;
const KSERVE_V1_PATH = (model: string) => `/v1/models/${encodeURIComponent(model)}:predict`;

const V2: Omit<Wire, 'send'> = {
  server: 'an Open Inference Protocol server',
  request: (message, impl) => seldonToInferenceRequest(message, { name: impl.inputName, datatype: impl.datatype, id: message.meta?.puid, outputName: impl.outputName }),
  answer: (response, request, impl) => inferenceResponseToSeldon(response, request, impl.outputName),
};

const KSERVE_V1: Omit<Wire, 'send'> = {
  server: 'a KServe V1 predictor',
  request: (message) => seldonToPredictRequest(message),
  answer: (response, request) => predictResponseToSeldon(response, request),
};

/**
 * A whole graph behind Seldon's external API (a SeldonDeployment, another Switchyard graph): the message goes as it
 * is, with this prediction's puid, so feedback can be matched across both graphs; its answer keeps its payload,
 * tags and metrics, not the other graph's routing (which names nodes of that graph).
 */
const SELDON_DEPLOYMENT: Omit<Wire, 'send'> = {
  server: 'a Seldon graph',
  request: (message) => message,
  answer: (response, request) => {
    const answer = response as SeldonMessage | null;
    if (answer === null || typeof answer !== 'object' || Array.isArray(answer)) throw new Error(`expected a Seldon message, received ${JSON.stringify(response).slice(0, 100)}`);
    const { meta, ...payload } = answer;
    return { ...payload, meta: { ...request.meta, ...(meta?.tags ? { tags: meta.tags } : {}), ...(meta?.metrics ? { metrics: meta.metrics } : {}) } };
  },
};
