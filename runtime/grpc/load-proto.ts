/**
 * @module Loading `inference.GRPCInferenceService` from the Open Inference Protocol's .proto, a byte-identical
 * copy of the published contract kept next to this file (proto/open_inference_grpc.proto, licence header
 * intact), so the run time never depends on the contracts folder.
 *
 * Options: field names as in the .proto (`keepCase`), 64-bit integers as decimal strings (no precision lost
 * before our own range checks), enums as names, repeated fields always arrays, and oneofs named
 * (`parameter_choice: 'int64_param'`).
 */
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

/** Where the .proto copy lives. */
export const OIP_PROTO_FILE = path.join(import.meta.dirname, 'proto', 'open_inference_grpc.proto');

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

let loaded: InferenceServiceDefinition | undefined;

/** The service definition (loaded once). */
export function loadInferenceService(): InferenceServiceDefinition {
  if (loaded !== undefined) return loaded;
  const definition = protoLoader.loadSync(OIP_PROTO_FILE, PROTO_LOADER_OPTIONS);
  const pkg = grpc.loadPackageDefinition(definition) as unknown as { inference: { GRPCInferenceService: grpc.ServiceClientConstructor } };
  const Client = pkg.inference.GRPCInferenceService;
  loaded = { service: Client.service, Client };
  return loaded;
}
