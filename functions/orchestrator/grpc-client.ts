/**
 * @module The gRPC clients of a graph's `grpc-v2` and `seldon-grpc` remote nodes, as the orchestrator's entry gets
 * them through `switchyard:grpc-client`: the compiler resolves that module to this file only when the graph has
 * such a node, so every other orchestrator neither carries grpc-js in its bundle nor loads it. The .proto files
 * travel inside the bundle as text (esbuild's text loader), like the gRPC front end's; each protocol's is parsed
 * at its first call. Both share one channel per server.
 */
import oipProto from '../../runtime/grpc/proto/open_inference_grpc.proto';
import seldonPrediction from '../../runtime/grpc/proto/seldon-core/prediction.proto';
import tfTensor from '../../runtime/grpc/proto/seldon-core/tensorflow/core/framework/tensor.proto';
import tfResourceHandle from '../../runtime/grpc/proto/seldon-core/tensorflow/core/framework/resource_handle.proto';
import tfTensorShape from '../../runtime/grpc/proto/seldon-core/tensorflow/core/framework/tensor_shape.proto';
import tfTypes from '../../runtime/grpc/proto/seldon-core/tensorflow/core/framework/types.proto';
import { createGrpcInferClient, type GrpcInferClient } from '../../runtime/grpc/infer-client.ts';
import { createSeldonGrpcClient, type SeldonGrpcClient } from '../../runtime/grpc/seldon-client.ts';
import { createGrpcUnaryClient } from '../../runtime/grpc/unary-client.ts';
import { inferenceServiceFromProtoText, packageFromProtoTexts } from '../../runtime/grpc/proto-text.ts';
import type { RemoteGrpcClients } from '../../runtime/orchestrator/remote-client.ts';

export default function grpcClients(): RemoteGrpcClients {
  const unary = createGrpcUnaryClient();
  let infer: GrpcInferClient | undefined;
  let seldon: SeldonGrpcClient | undefined;
  return {
    get infer() {
      return (infer ??= createGrpcInferClient(unary, inferenceServiceFromProtoText(oipProto)));
    },
    get seldon() {
      return (seldon ??= createSeldonGrpcClient(unary, packageFromProtoTexts([seldonPrediction, tfTensor, tfResourceHandle, tfTensorShape, tfTypes])));
    },
    close: () => unary.close(),
  };
}
