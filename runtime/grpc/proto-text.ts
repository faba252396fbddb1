/**
 * @module gRPC services from their .proto files' text rather than the files: what a bundle uses, since it carries
 * the .proto files inside itself (esbuild's text loader) and has no file next to it to read.
 *
 * The texts are parsed with protobufjs (the parser @grpc/proto-loader itself uses) into one root, keeping field
 * names as written; the well-known types they import (`google/protobuf/struct.proto`, …) are protobufjs's own, as
 * when the files are loaded. The root goes to proto-loader's `fromJSON` with the same options as the file loader,
 * so both give the same services: the same method paths and the same message encodings.
 */
import * as protoLoader from '@grpc/proto-loader';
import protobuf from 'protobufjs';
import { INFERENCE_SERVICE, PROTO_LOADER_OPTIONS, serviceOf, type InferenceServiceDefinition } from './load-proto.ts';

/** The service `name` declared by `texts` (a .proto and everything it imports, in any order). */
export function serviceFromProtoTexts(texts: readonly string[], name: string): InferenceServiceDefinition {
  return serviceOf(packageFromProtoTexts(texts), name);
}

/** Everything `texts` declare (a .proto and everything it imports, in any order), as proto-loader loads a file. */
export function packageFromProtoTexts(texts: readonly string[]): protoLoader.PackageDefinition {
  const root = new protobuf.Root();
  const wellKnown = new Set<string>();
  for (const text of texts) {
    const parsed = protobuf.parse(text, root, { keepCase: true });
    for (const file of parsed.imports ?? []) if (file.startsWith('google/protobuf/')) wellKnown.add(file);
  }
  for (const file of wellKnown) {
    const common = protobuf.common.get(file);
    if (common === null) throw new Error(`the .proto imports ${file}, which protobufjs does not provide`);
    root.addJSON(common.nested ?? {});
  }
  root.resolveAll();
  return protoLoader.fromJSON(root.toJSON(), PROTO_LOADER_OPTIONS);
}

/** `inference.GRPCInferenceService` from the Open Inference Protocol .proto's text. */
export function inferenceServiceFromProtoText(text: string): InferenceServiceDefinition {
  return serviceFromProtoTexts([text], INFERENCE_SERVICE);
}
