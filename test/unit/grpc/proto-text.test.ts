/**
 * A bundle loads the Open Inference Protocol service from the .proto's text (it has no file to read): that must give
 * the service the file loader gives, method for method and byte for byte.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { inferenceServiceFromProtoText } from '../../../runtime/grpc/proto-text.ts';
import { loadInferenceService, OIP_PROTO_FILE } from '../../../runtime/grpc/load-proto.ts';

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
