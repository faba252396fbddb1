/**
 * @module Calls `ModelInfer` and `ModelMetadata` on Open Inference Protocol servers over gRPC (Triton, KServe,
 * MLServer): the client of a graph's `grpc-v2` remote nodes, over the shared channels of ./unary-client.ts (one
 * per server, a deadline per call, errors as `GrpcCallError`).
 */
import type { GrpcUnaryCall, GrpcUnaryClient } from './unary-client.ts';
import type { ModelInferRequestMessage } from './infer-codec.ts';
import type { ModelInferResponseMessage } from './infer-client-codec.ts';
import type { InferenceServiceDefinition } from './load-proto.ts';

/** A decoded ModelMetadataResponse (64-bit dimensions as strings). */
export interface ModelMetadataResponseMessage {
  name?: string;
  versions?: string[];
  platform?: string;
  inputs?: Array<{ name?: string; datatype?: string; shape?: Array<string | number> }>;
  outputs?: Array<{ name?: string; datatype?: string; shape?: Array<string | number> }>;
}

export interface GrpcInferClient {
  infer(url: string, request: ModelInferRequestMessage, call: GrpcUnaryCall): Promise<ModelInferResponseMessage>;
  /** ModelMetadata: the model's name, platform and tensors. */
  metadata(url: string, model: string, call: GrpcUnaryCall): Promise<ModelMetadataResponseMessage>;
}

/** The Open Inference Protocol's calls, over `unary`'s channels. */
export function createGrpcInferClient(unary: GrpcUnaryClient, service: InferenceServiceDefinition): GrpcInferClient {
  const method = (name: 'ModelInfer' | 'ModelMetadata') => {
    const found = service.service[name];
    if (found === undefined) throw new Error(`the Open Inference Protocol's .proto declares no ${name}`);
    return found;
  };
  const infer = method('ModelInfer');
  const metadata = method('ModelMetadata');
  return {
    infer: (url, request, call) => unary.call<ModelInferResponseMessage>(url, infer, request, call),
    metadata: (url, model, call) => unary.call<ModelMetadataResponseMessage>(url, metadata, { name: model }, call),
  };
}
