/**
 * @module The graph's Open Inference Protocol metadata (`GET /v2/models/<graph>`), from its nodes' own.
 *
 * The graph takes one tensor and answers one tensor, so its metadata has one input and one output:
 * - input: the first input declared along the root path — the root's own, else (a transformer or model that
 *   declares none, a router, a combiner) its first child's, and so on;
 * - output: what the node that answers last declares — a leaf model's first output, an output transformer's or
 *   a user combiner's own (else its child's); a router's children's when they agree, else their shapes merged
 *   (dimensions that differ become -1); a built-in `concat` combiner's child's with its last dimension -1.
 * Each node's metadata comes from its function's `GET /metadata` (or in-process for a fused node). A complete
 * answer is cached for the life of the process (the plan and the models do not change); a failed one is not.
 */
import type { LoadedNode, NodeMetadata, TensorMetadata } from '../host/types.ts';
import { isGrpcRemote, type DeploymentPlan, type PlanNode } from '../plan/types.ts';
import { ProtocolError, REASONS } from '../protocol/errors.ts';
import type { Endpoints } from './node-client.ts';
import { keepAliveFetch } from '../http/client.ts';
import { withoutCredentials } from '../http/without-credentials.ts';

export interface GraphMetadata {
  inputs: TensorMetadata[];
  outputs: TensorMetadata[];
}

export interface GraphMetadataSource {
  /** The graph's metadata; a 503 `ProtocolError` naming the node whose metadata could not be read. */
  get(headers?: Record<string, string>): Promise<GraphMetadata>;
  /**
   * One node's own metadata (Seldon's `GET /api/v1.0/metadata/<node>`): undefined for nodes that declare none
   * (built-in routers and combiners, and remote servers whose protocol has no metadata call); a 503 when it
   * cannot be read.
   */
  node(name: string, headers?: Record<string, string>): Promise<NodeMetadata | undefined>;
}

export function createGraphMetadata(deps: {
  plan: DeploymentPlan;
  endpoints: Endpoints;
  fusedNodes?: ReadonlyMap<string, LoadedNode> | undefined;
  fetchImpl?: typeof fetch;
  /** A `grpc-v2` or `seldon-grpc` remote node's metadata (remote-client.ts). */
  grpcMetadata?: ((node: PlanNode, headers: Record<string, string>) => Promise<NodeMetadata>) | undefined;
}): GraphMetadataSource {
  const { plan, endpoints } = deps;
  // node:http rather than the global fetch, whose first call loads undici into an orchestrator that needs none.
  const fetchImpl = deps.fetchImpl ?? keepAliveFetch();
  let cached: Promise<GraphMetadata> | undefined;

  const own = async (node: PlanNode, headers: Record<string, string>): Promise<NodeMetadata | undefined> => {
    const unavailable = (why: string) =>
      new ProtocolError(`the metadata of node "${node.name}" (function "${node.function}") could not be read: ${why}`, {
        status: 503,
        reason: REASONS.notReady,
        node: node.name,
      });
    if (node.implementation.kind === 'router' || node.implementation.kind === 'combiner') return undefined;
    // A KServe V1 predictor and a Seldon graph declare no tensors.
    if (node.implementation.kind === 'remote' && (node.implementation.protocol === 'kserve-v1' || node.implementation.protocol === 'seldon-deployment')) return undefined;
    // A gRPC server is asked (ModelMetadata, Seldon's Model/Metadata) by the remote client that holds its channel (and drops credentials).
    if (isGrpcRemote(node.implementation)) {
      if (deps.grpcMetadata === undefined) return undefined;
      try {
        return await deps.grpcMetadata(node, headers);
      } catch (error) {
        throw unavailable((error as Error).message);
      }
    }
    const fused = deps.fusedNodes?.get(node.name);
    if (fused !== undefined) return fused.handlers.metadata();
    const impl = node.implementation;
    // A remote server's own metadata: Seldon's GET /metadata, or the Open Inference Protocol's model metadata.
    const base = impl.kind === 'remote' ? impl.url : endpoints[node.function];
    const metadataPath = impl.kind === 'remote' && impl.protocol === 'v2' ? `/v2/models/${encodeURIComponent(impl.model)}` : '/metadata';
    if (base === undefined) throw unavailable('no endpoint is configured for its function');
    let response: Response;
    try {
      const sent = impl.kind === 'remote' ? withoutCredentials(headers) : headers;
      response = await fetchImpl(`${base}${metadataPath}`, { headers: sent, signal: AbortSignal.timeout(node.timeoutMs) });
    } catch (error) {
      throw unavailable((error as Error).message);
    }
    if (!response.ok) {
      const body = (await response.json().catch(() => ({}))) as { status?: { info?: unknown }; error?: unknown };
      const info = typeof body.status?.info === 'string' ? body.status.info : typeof body.error === 'string' ? body.error : undefined;
      throw unavailable(`it answered ${response.status}${info === undefined ? '' : `: ${info}`}`);
    }
    return (await response.json()) as NodeMetadata;
  };

  const build = async (headers: Record<string, string>): Promise<GraphMetadata> => {
    const metas = new Map<string, Promise<NodeMetadata | undefined>>();
    const metaOf = (name: string): Promise<NodeMetadata | undefined> => {
      let found = metas.get(name);
      if (found === undefined) metas.set(name, (found = own(plan.nodes[name] as PlanNode, headers)));
      return found;
    };
    const inputsOf = async (name: string): Promise<TensorMetadata[]> => {
      const node = plan.nodes[name] as PlanNode;
      if (node.type !== 'OUTPUT_TRANSFORMER' && node.type !== 'COMBINER') {
        const declared = (await metaOf(name))?.inputs ?? [];
        if (declared.length > 0) return declared.slice(0, 1);
      }
      const first = node.children[0];
      return first === undefined ? [] : inputsOf(first);
    };
    const outputsOf = async (name: string): Promise<TensorMetadata[]> => {
      const node = plan.nodes[name] as PlanNode;
      const impl = node.implementation;
      if (node.type === 'OUTPUT_TRANSFORMER' || (node.type === 'COMBINER' && impl.kind !== 'combiner') || node.children.length === 0) {
        const declared = (await metaOf(name))?.outputs ?? [];
        if (declared.length > 0 || node.children.length === 0) return declared.slice(0, 1);
      }
      if (node.type === 'ROUTER') return merge(await Promise.all(node.children.map(outputsOf)));
      const child = await outputsOf(node.children[0] as string);
      // KServe's Ensemble answers a map of its children's answers, not a tensor.
      if (impl.kind === 'combiner' && impl.combiner === 'kserve-ensemble') return [];
      if (impl.kind === 'combiner' && impl.combiner === 'concat') return child.map((t) => ({ ...t, shape: t.shape.map((d, i) => (i === t.shape.length - 1 ? -1 : d)) }));
      return child;
    };
    const [inputs, outputs] = await Promise.all([inputsOf(plan.root), outputsOf(plan.root)]);
    return { inputs, outputs };
  };

  return {
    node: (name, headers = {}) => own(plan.nodes[name] as PlanNode, headers),
    get(headers = {}) {
      if (cached === undefined) {
        const attempt = build(headers);
        cached = attempt;
        attempt.catch(() => {
          if (cached === attempt) cached = undefined;
        });
      }
      return cached;
    },
  };
}

/** Several children's outputs as one (the first's name): same datatype and rank merged with -1 where dims differ. */
function merge(lists: TensorMetadata[][]): TensorMetadata[] {
  const [first, ...rest] = lists.map((l) => l[0]);
  if (first === undefined) return [];
  let out: TensorMetadata = first;
  for (const other of rest) {
    if (other === undefined || other.datatype !== out.datatype || other.shape.length !== out.shape.length) return [{ ...out, shape: out.shape.map(() => -1) }];
    out = { ...out, shape: out.shape.map((d, i) => (d === other.shape[i] ? d : -1)) };
  }
  return [out];
}
