/**
 * The client side of ModelInfer (grpc-v2 remote nodes): REST inference request → ModelInferRequest, and the
 * answers servers send (typed contents, or raw_output_contents as Triton does) → the REST response. Each message
 * also goes through the real .proto's encoding and back, as grpc-js sends it.
 */
import { describe, expect, it } from 'vitest';
import { loadInferenceService } from '../../../runtime/grpc/load-proto.ts';
import { modelInferResponseToRest, restToModelInferRequest, type ModelInferResponseMessage } from '../../../runtime/grpc/infer-client-codec.ts';
import { decodeRawTensor, encodeRawTensor } from '../../../runtime/protocol/v2-raw.ts';

/** Through the .proto's serializers, as the message travels: what the other side decodes. */
function overTheWire(method: 'ModelInfer', direction: 'request' | 'response', message: unknown): any {
  const definition = loadInferenceService().service[method]!;
  const bytes = direction === 'request' ? definition.requestSerialize(message) : definition.responseSerialize(message);
  return direction === 'request' ? definition.requestDeserialize(bytes) : definition.responseDeserialize(bytes);
}

describe('restToModelInferRequest', () => {
  it('sends every input as raw_input_contents by default, with the id, parameters and outputs asked for', () => {
    const message = restToModelInferRequest(
      {
        id: 'puid-1',
        inputs: [
          { name: 'x', shape: [2, 2], datatype: 'FP32', data: [1.5, 2, 3, 4] },
          { name: 'text', shape: [1], datatype: 'BYTES', data: ['héllo'] },
        ],
        outputs: [{ name: 'probabilities' }],
      },
      'iris',
    );
    const received = overTheWire('ModelInfer', 'request', message);
    expect(received).toMatchObject({ model_name: 'iris', id: 'puid-1' });
    expect(received.inputs.map((i: { name: string; datatype: string; shape: string[] }) => [i.name, i.datatype, i.shape])).toEqual([['x', 'FP32', ['2', '2']], ['text', 'BYTES', ['1']]]);
    expect(Array.from(decodeRawTensor(received.raw_input_contents[0], 'FP32', [2, 2], 'x') as Float32Array)).toEqual([1.5, 2, 3, 4]);
    expect(decodeRawTensor(received.raw_input_contents[1], 'BYTES', [1], 'text')).toEqual(['héllo']);
    expect(received.outputs.map((o: { name: string }) => o.name)).toEqual(['probabilities']);
  });

  it('puts each input in the typed contents field of its datatype with {raw: false}', () => {
    const message = restToModelInferRequest(
      {
        id: 'puid-1',
        parameters: { priority: 2 },
        inputs: [
          { name: 'x', shape: [2, 2], datatype: 'FP32', data: [1.5, 2, 3, 4] },
          { name: 'ids', shape: [2], datatype: 'INT64', data: [7, 2 ** 40] },
          { name: 'text', shape: [1], datatype: 'BYTES', data: ['héllo'] },
        ],
        outputs: [{ name: 'probabilities' }],
      },
      'iris',
      { raw: false },
    );
    const received = overTheWire('ModelInfer', 'request', message);
    expect(received.model_name).toBe('iris');
    expect(received.id).toBe('puid-1');
    expect(received.parameters.priority).toMatchObject({ parameter_choice: 'int64_param', int64_param: '2' });
    expect(received.inputs[0]).toMatchObject({ name: 'x', datatype: 'FP32', shape: ['2', '2'] });
    expect(received.inputs[0].contents.fp32_contents).toEqual([1.5, 2, 3, 4]);
    expect(received.inputs[1].contents.int64_contents).toEqual(['7', String(2 ** 40)]);
    expect(Buffer.from(received.inputs[2].contents.bytes_contents[0]).toString()).toBe('héllo');
    expect(received.outputs.map((o: { name: string }) => o.name)).toEqual(['probabilities']);
    expect(received.raw_input_contents).toEqual([]);
  });

  it('sends every input raw even with {raw: false} when one datatype has no contents field (FP16)', () => {
    const message = restToModelInferRequest({ inputs: [{ name: 'h', shape: [2], datatype: 'FP16', data: [0.5, -2] }, { name: 'x', shape: [1], datatype: 'FP32', data: [1] }] }, 'm', { raw: false });
    const received = overTheWire('ModelInfer', 'request', message);
    expect(received.inputs.every((input: { contents: unknown }) => input.contents === null || Object.values(input.contents as object).every((v) => (v as unknown[]).length === 0))).toBe(true);
    expect(received.raw_input_contents.map((b: Uint8Array) => Buffer.from(b).toString('hex'))).toEqual([Buffer.from(encodeRawTensor([0.5, -2], 'FP16')).toString('hex'), Buffer.from(encodeRawTensor([1], 'FP32')).toString('hex')]);
  });
});

describe('modelInferResponseToRest', () => {
  const answer = (message: ModelInferResponseMessage) => modelInferResponseToRest(overTheWire('ModelInfer', 'response', message));

  it('reads typed contents: 64-bit integers as numbers, BYTES as text, parameters as JSON', () => {
    const rest = answer({
      model_name: 'm',
      model_version: '3',
      id: 'puid-1',
      outputs: [
        { name: 'label', datatype: 'INT64', shape: ['2'], contents: { int64_contents: ['1', '-9007199254740991'] }, parameters: { unit: { string_param: 'class' } } },
        { name: 'names', datatype: 'BYTES', shape: ['1'], contents: { bytes_contents: [Buffer.from('setosa')] } },
        { name: 'p', datatype: 'FP64', shape: ['1', '2'], contents: { fp64_contents: [0.25, 0.75] } },
      ],
    });
    expect(rest).toEqual({
      model_name: 'm',
      model_version: '3',
      id: 'puid-1',
      outputs: [
        { name: 'label', datatype: 'INT64', shape: [2], data: [1, -9007199254740991], parameters: { unit: 'class' } },
        { name: 'names', datatype: 'BYTES', shape: [1], data: ['setosa'] },
        { name: 'p', datatype: 'FP64', shape: [1, 2], data: [0.25, 0.75] },
      ],
    });
  });

  it('reads raw_output_contents, one entry per output, as Triton sends them', () => {
    const rest = answer({
      model_name: 'triton',
      outputs: [{ name: 'OUTPUT0', datatype: 'FP32', shape: ['2', '1'] }, { name: 'OUTPUT1', datatype: 'BYTES', shape: ['2'] }],
      raw_output_contents: [Buffer.from(encodeRawTensor([10.5, -1], 'FP32')), Buffer.from(encodeRawTensor(['a', 'bc'], 'BYTES'))],
    });
    expect(rest.outputs).toEqual([
      { name: 'OUTPUT0', datatype: 'FP32', shape: [2, 1], data: [10.5, -1] },
      { name: 'OUTPUT1', datatype: 'BYTES', shape: [2], data: ['a', 'bc'] },
    ]);
  });

  it('refuses answers it cannot read, naming the field', () => {
    expect(() => answer({ outputs: [{ name: 'a', datatype: 'FP32', shape: ['1'] }], raw_output_contents: [Buffer.alloc(4), Buffer.alloc(4)] })).toThrow(/raw_output_contents: expected one entry per output \(1\), received 2/);
    expect(() => answer({ outputs: [{ name: 'a', datatype: 'FP32', shape: ['2'] }], raw_output_contents: [Buffer.alloc(4)] })).toThrow(/raw_output_contents\[0\]: expected 8 bytes/);
    expect(() => answer({ outputs: [{ name: 'a', datatype: 'INT64', shape: ['1'], contents: { int64_contents: ['9007199254740993'] } }] })).toThrow(/outputs\[0\]\.contents\.int64_contents\[0\]: 9007199254740993 is beyond/);
    expect(() => answer({ outputs: [{ name: 'a', datatype: 'BYTES', shape: ['1'], contents: { bytes_contents: [Buffer.from([0xff, 0xfe])] } }] })).toThrow(/bytes_contents\[0\]: is not UTF-8/);
    expect(() => answer({ outputs: [{ name: 'a', datatype: 'FP17', shape: ['1'] }] })).toThrow(/outputs\[0\]\.datatype/);
    expect(() => answer({ outputs: [{ name: 'a', datatype: 'FP16', shape: ['1'] }] })).toThrow(/outputs\[0\]: a FP16 output has no contents field/);
  });
});
