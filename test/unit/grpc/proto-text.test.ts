/**
 * A bundle loads its gRPC services from the .proto files' text (it has no file to read): that must give the
 * services the file loader gives, method for method and byte for byte — the Open Inference Protocol's, and
 * Seldon's, whose prediction.proto imports TensorFlow's protos and Google's well-known types.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { inferenceServiceFromProtoText, serviceFromProtoTexts } from '../../../runtime/grpc/proto-text.ts';
import { loadInferenceService, loadSeldonService, OIP_PROTO_FILE, SELDON_PROTO_DIR, SELDON_PROTO_FILES, SELDON_SERVICE } from '../../../runtime/grpc/load-proto.ts';

describe('inferenceServiceFromProtoText', () => {
  const fromFile = loadInferenceService().service;
  const fromText = inferenceServiceFromProtoText(readFileSync(OIP_PROTO_FILE, 'utf8')).service;

  it('declares the same methods on the same paths', () => {
    expect(Object.keys(fromText).sort()).toEqual(Object.keys(fromFile).sort());
    for (const [name, method] of Object.entries(fromFile)) expect(fromText[name]!.path).toBe(method.path);
  });

  it('encodes and decodes ModelInfer messages identically (field names as in the .proto, 64-bit as strings, oneofs named)', () => {
    const request = {
      model_name: 'seed',
      id: 'r1',
      parameters: { priority: { int64_param: '9007199254740993' } },
      inputs: [{ name: 'x', datatype: 'INT64', shape: ['1', '2'], contents: { int64_contents: ['-1', '9007199254740993'] } }],
      raw_input_contents: [Buffer.from([1, 2, 3])],
    };
    const a = fromFile.ModelInfer!;
    const b = fromText.ModelInfer!;
    const bytes = a.requestSerialize(request);
    expect(b.requestSerialize(request).equals(bytes)).toBe(true);
    expect(b.requestDeserialize(bytes)).toEqual(a.requestDeserialize(bytes));
    expect((b.requestDeserialize(bytes) as any).parameters.priority).toEqual({ int64_param: '9007199254740993', parameter_choice: 'int64_param' });
  });

  it('refuses text without the service', () => {
    expect(() => inferenceServiceFromProtoText('syntax = "proto3";\npackage other;\nmessage M { string a = 1; }\n')).toThrow(/inference\.GRPCInferenceService/);
  });
});

describe('serviceFromProtoTexts with Seldon\'s prediction.proto and its imports', () => {
  const fromFile = loadSeldonService().service;
  // In another order than the imports: the texts share one root, resolved once all are in.
  const texts = [...SELDON_PROTO_FILES].reverse().map((file) => readFileSync(path.join(SELDON_PROTO_DIR, file), 'utf8'));
  const fromText = serviceFromProtoTexts(texts, SELDON_SERVICE).service;

  it('declares Predict, SendFeedback, ModelMetadata and GraphMetadata on the same paths', () => {
    expect(Object.keys(fromText).sort()).toEqual(['GraphMetadata', 'ModelMetadata', 'Predict', 'SendFeedback']);
    for (const [name, method] of Object.entries(fromFile)) expect(fromText[name]!.path).toBe(method.path);
  });

  it('encodes and decodes SeldonMessages identically, google.protobuf.Value included', () => {
    const message = {
      meta: { puid: 'p', tags: { user: { stringValue: 'u' } }, routing: { bandit: 1 }, metrics: [{ key: 'k', type: 'GAUGE', value: 2 }] },
      data: { names: ['a'], ndarray: { values: [{ listValue: { values: [{ numberValue: 1.5 }, { nullValue: 'NULL_VALUE' }] } }] } },
    };
    const bytes = fromFile.Predict!.requestSerialize(message);
    expect(fromText.Predict!.requestSerialize(message).equals(bytes)).toBe(true);
    expect(fromText.Predict!.requestDeserialize(bytes)).toEqual(fromFile.Predict!.requestDeserialize(bytes));
  });
});
