/** @module The Open Inference Protocol over gRPC, served in front of the REST gateway. */
export { startGrpcServer, type GrpcServerHandle, type GrpcServerOptions } from './server.ts';
export { inferenceServiceFromProtoText } from './proto-text.ts';
export { forwardingFetch } from './forward-fetch.ts';
export { loadInferenceService, OIP_PROTO_FILE, PROTO_LOADER_OPTIONS, type InferenceServiceDefinition } from './load-proto.ts';
export { grpcCodeForHttp } from './status.ts';
export { modelInferToRest, restToModelInfer, parametersFromJson, parametersToJson, CONTENTS_FIELD } from './infer-codec.ts';
