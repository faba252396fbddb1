/**
 * @module Calls Seldon Core microservices over gRPC, as Seldon Core's executor does for a unit whose endpoint is
 * `GRPC`: the client of a graph's `seldon-grpc` remote nodes, over the shared channels of ./unary-client.ts.
 *
 * Each call the orchestrator makes on Seldon's REST component paths is the matching method of the component
 * services in Seldon's prediction.proto, as the executor picks them:
 *
 * | REST path | gRPC method |
 * |---|---|
 * | `/predict` | `seldon.protos.Model/Predict` |
 * | `/transform-input` | `seldon.protos.Transformer/TransformInput` |
 * | `/transform-output` | `seldon.protos.OutputTransformer/TransformOutput` |
 * | `/route` | `seldon.protos.Router/Route` |
 * | `/aggregate` | `seldon.protos.Combiner/Aggregate` (a `SeldonMessageList`) |
 * | `/send-feedback` | `seldon.protos.Model/SendFeedback` (every node type, as the executor sends it) |
 * | metadata | `seldon.protos.Model/Metadata` |
 *
 * Messages go in and come out as Seldon's JSON messages (./seldon-codec.ts does the protobuf step), so the rest of
 * the orchestrator treats the answer as it treats a REST one. An answer that has no JSON form (`customData`,
 * `tftensor`) throws the codec's `ProtocolError`.
 */
import type { PackageDefinition } from '@grpc/proto-loader';
import type { MethodDefinition } from '@grpc/grpc-js';
import type { NodeMetadata } from '../host/types.ts';
import type { SeldonFeedback, SeldonMessage, SeldonMessageList } from '../protocol/seldon-types.ts';
import { feedbackToProto, seldonMessageFromProto, seldonMessageToProto, seldonModelMetadataFromProto } from './seldon-codec.ts';
import type { GrpcUnaryCall, GrpcUnaryClient } from './unary-client.ts';

const PACKAGE = 'seldon.protos';

/** Seldon's REST component path → the gRPC method (`Service/Method`) the executor calls for it. */
export const SELDON_GRPC_METHODS: Readonly<Record<string, string>> = {
  '/predict': 'Model/Predict',
  '/transform-input': 'Transformer/TransformInput',
  '/transform-output': 'OutputTransformer/TransformOutput',
  '/route': 'Router/Route',
  '/aggregate': 'Combiner/Aggregate',
  '/send-feedback': 'Model/SendFeedback',
};

export interface SeldonGrpcClient {
  /** The call Seldon's REST path `path` names (a key of `SELDON_GRPC_METHODS`), its body and answer as JSON. */
  call(url: string, path: string, body: unknown, call: GrpcUnaryCall): Promise<SeldonMessage>;
  /** `Model/Metadata`: the microservice's own metadata. */
  metadata(url: string, call: GrpcUnaryCall): Promise<NodeMetadata>;
}

/** The component services of `seldonPackage` (Seldon's prediction.proto, loaded), over `unary`'s channels. */
export function createSeldonGrpcClient(unary: GrpcUnaryClient, seldonPackage: PackageDefinition): SeldonGrpcClient {
  const method = (name: string): MethodDefinition<any, any> => {
    const [service, rpc] = name.split('/') as [string, string];
    const found = (seldonPackage[`${PACKAGE}.${service}`] as Record<string, MethodDefinition<any, any>> | undefined)?.[rpc];
    if (found === undefined || typeof found.path !== 'string') throw new Error(`Seldon's prediction.proto declares no ${PACKAGE}.${name}`);
    return found;
  };
  const methods = new Map(Object.entries(SELDON_GRPC_METHODS).map(([path, name]) => [path, method(name)]));
  const metadata = method('Model/Metadata');
  return {
    async call(url, path, body, call) {
      const rpc = methods.get(path);
      if (rpc === undefined) throw new Error(`Seldon's component services have no method for ${path}`);
      const request =
        path === '/aggregate'
          ? { seldonMessages: (body as SeldonMessageList).seldonMessages.map(seldonMessageToProto) }
          : path === '/send-feedback'
            ? feedbackToProto(body as SeldonFeedback)
            : seldonMessageToProto(body as SeldonMessage);
      return seldonMessageFromProto(await unary.call<Record<string, unknown>>(url, rpc, request, call));
    },
    async metadata(url, call) {
      return seldonModelMetadataFromProto(await unary.call<Record<string, unknown>>(url, metadata, {}, call));
    },
  };
}
