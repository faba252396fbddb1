/**
 * @module The gRPC client of a graph's `grpc-v2` remote nodes, as the orchestrator's entry gets it through
 * `switchyard:grpc-client`: the compiler resolves that module to this file only when the graph has such a node,
 * so every other orchestrator neither carries grpc-js in its bundle nor loads it. The .proto travels inside the
 * bundle as text (esbuild's text loader), like the gRPC front end's.
 */
import protoText from '../../runtime/grpc/proto/open_inference_grpc.proto';
import { createGrpcInferClient, type GrpcInferClient } from '../../runtime/grpc/infer-client.ts';
import { inferenceServiceFromProtoText } from '../../runtime/grpc/proto-text.ts';

export default function grpcClient(): GrpcInferClient {
  return createGrpcInferClient(inferenceServiceFromProtoText(protoText));
}
