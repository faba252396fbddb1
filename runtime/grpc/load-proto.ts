/**
 * @module Loading the gRPC services Switchyard serves from their .proto files, byte-identical copies of the
 * published contracts kept next to this file, so the run time never depends on the contracts folder:
 * - `inference.GRPCInferenceService`, the Open Inference Protocol (proto/open_inference_grpc.proto, licence header
 *   intact);
 * - `seldon.protos.Seldon`, Seldon Core's external API (proto/seldon-core/prediction.proto and the TensorFlow
 *   protos it imports, with Seldon's LICENSE); the same file declares the component services (`Model`, `Router`,
 *   …) that a graph's `seldon-grpc` remote nodes call (seldon-client.ts).
 *
 * Options: field names as in the .proto (`keepCase`), 64-bit integers as decimal strings (no precision lost
 * before our own range checks), enums as names, repeated fields always arrays, and oneofs named
 * (`parameter_choice: 'int64_param'`). The well-known types (`google.protobuf.Value`, …) are protobufjs's own,
 * whose fields are camelCase (`numberValue`).
 */
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

/** Where the Open Inference Protocol .proto copy lives. */
export const OIP_PROTO_FILE = path.join(import.meta.dirname, 'proto', 'open_inference_grpc.proto');
/** Where Seldon's prediction.proto copy lives: the include directory of its imports. */
export const SELDON_PROTO_DIR = path.join(import.meta.dirname, 'proto', 'seldon-core');
/** Seldon's prediction.proto and what it imports, in its include directory. */
export const SELDON_PROTO_FILES = [
  'prediction.proto',
  'tensorflow/core/framework/tensor.proto',
  'tensorflow/core/framework/resource_handle.proto',
  'tensorflow/core/framework/tensor_shape.proto',
  'tensorflow/core/framework/types.proto',
] as const;

export const INFERENCE_SERVICE = 'inference.GRPCInferenceService';
export const SELDON_SERVICE = 'seldon.protos.Seldon';

export const PROTO_LOADER_OPTIONS: protoLoader.Options = {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  arrays: true,
  oneofs: true,
};

export interface InferenceServiceDefinition {
  /** For `server.addService`. */
  service: grpc.ServiceDefinition;
  /** A client constructor: `new Client('127.0.0.1:8081', grpc.credentials.createInsecure())`. */
  Client: grpc.ServiceClientConstructor;
}

/** The gRPC services of one server: the Open Inference Protocol's and Seldon's. */
export interface GrpcServices {
  inference: InferenceServiceDefinition;
  seldon: InferenceServiceDefinition;
}

/** The service `name` (`package.Service`) of a loaded package definition. */
export function serviceOf(definition: protoLoader.PackageDefinition, name: string): InferenceServiceDefinition {
  let value: unknown = grpc.loadPackageDefinition(definition);
  for (const part of name.split('.')) value = (value as Record<string, unknown> | undefined)?.[part];
  if (typeof value !== 'function') throw new Error(`the .proto declares no ${name}`);
  const Client = value as grpc.ServiceClientConstructor;
  return { service: Client.service, Client };
}

let loaded: InferenceServiceDefinition | undefined;
let loadedSeldon: InferenceServiceDefinition | undefined;

/** The Open Inference Protocol's service definition (loaded once). */
export function loadInferenceService(): InferenceServiceDefinition {
  loaded ??= serviceOf(protoLoader.loadSync(OIP_PROTO_FILE, PROTO_LOADER_OPTIONS), INFERENCE_SERVICE);
  return loaded;
}

let loadedSeldonPackage: protoLoader.PackageDefinition | undefined;

/** Everything Seldon's prediction.proto declares: the external `Seldon` service and the component services (loaded once). */
export function loadSeldonPackage(): protoLoader.PackageDefinition {
  loadedSeldonPackage ??= protoLoader.loadSync(path.join(SELDON_PROTO_DIR, 'prediction.proto'), { ...PROTO_LOADER_OPTIONS, includeDirs: [SELDON_PROTO_DIR] });
  return loadedSeldonPackage;
}

/** Seldon's external gRPC service definition (loaded once). */
export function loadSeldonService(): InferenceServiceDefinition {
  loadedSeldon ??= serviceOf(loadSeldonPackage(), SELDON_SERVICE);
  return loadedSeldon;
}
