/**
 * @module `inference.GRPCInferenceService` from the .proto's text rather than its file: what a bundle uses, since
 * it carries the .proto inside itself (esbuild's text loader) and has no file next to it to read.
 *
 * The text is parsed with protobufjs (the parser @grpc/proto-loader itself uses) keeping field names as written,
 * then handed to proto-loader's `fromJSON` with the same options as the file loader, so both give the same
 * service: the same method paths and the same message encodings.
 */
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import protobuf from 'protobufjs';
import { PROTO_LOADER_OPTIONS, type InferenceServiceDefinition } from './load-proto.ts';

export function inferenceServiceFromProtoText(text: string): InferenceServiceDefinition {
  const { root } = protobuf.parse(text, { keepCase: true });
  const definition = protoLoader.fromJSON(root.toJSON(), PROTO_LOADER_OPTIONS);
  const pkg = grpc.loadPackageDefinition(definition) as unknown as { inference?: { GRPCInferenceService?: grpc.ServiceClientConstructor } };
  const Client = pkg.inference?.GRPCInferenceService;
  if (Client === undefined) throw new Error('the .proto text declares no inference.GRPCInferenceService');
  return { service: Client.service, Client };
}
