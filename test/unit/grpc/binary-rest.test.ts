/**
 * A raw ModelInfer served through the REST path's binary tensor data extension: the body it sends (the JSON header,
 * then each input's bytes as they came) and how it reads the answer back into raw_output_contents, checked against
 * the REST side's own decoder and encoder (protocol/v2-binary.ts).
 */
import { describe, expect, it } from 'vitest';
import { binaryInferAnswer, binaryInferBody } from '../../../runtime/grpc/binary-rest.ts';
import { decodeBinaryRequestBody, encodeBinaryResponse } from '../../../runtime/protocol/v2-binary.ts';
import { decodeRawTensor, encodeRawTensor } from '../../../runtime/protocol/v2-raw.ts';

describe('binaryInferBody and binaryInferAnswer', () => {
  it('sends the raw bytes after the JSON header, which the REST side decodes back into the same tensors', () => {
    const raw = [encodeRawTensor([1.5, -2, 3, 4], 'FP32'), encodeRawTensor(['a', 'héllo'], 'BYTES')];
    const body = binaryInferBody(
      { id: 'r1', parameters: { 'tags.client': 'python' }, inputs: [{ name: 'x', datatype: 'FP32', shape: [2, 2], data: [1.5, -2, 3, 4] }, { name: 's', datatype: 'BYTES', shape: [2], data: ['a', 'héllo'] }] },
      raw,
    );
    const decoded = decodeBinaryRequestBody(body.bytes, String(body.headerLength)) as any;
    expect(decoded.id).toBe('r1');
    expect(decoded.parameters).toEqual({ 'tags.client': 'python', binary_data_output: true });
    expect(Array.from(decoded.inputs[0].data)).toEqual([1.5, -2, 3, 4]);
    expect(decoded.inputs[1].data).toEqual(['a', 'héllo']);
    expect(decoded.inputs.every((input: { parameters?: unknown }) => input.parameters === undefined)).toBe(true);
  });

  it('hands the answer\'s bytes on as raw_output_contents, and encodes an output the graph answered as JSON', () => {
    const response = {
      model_name: 'seed',
      id: 'r1',
      parameters: { 'tags.node': 'good-model' },
      outputs: [
        { name: 'probabilities', datatype: 'FP32' as const, shape: [1, 3], data: [0.25, 0.5, 0.25] },
        { name: 'label', datatype: 'INT64' as const, shape: [1], data: [1] },
      ],
    };
    // The REST side asked for the first output only as bytes.
    const answer = encodeBinaryResponse(response, { outputs: [{ name: 'probabilities', parameters: { binary_data: true } }] })!;
    const message = binaryInferAnswer(answer.body, answer.headerLength) as any;
    expect(message).toMatchObject({ model_name: 'seed', id: 'r1', parameters: { 'tags.node': { string_param: 'good-model' } } });
    expect(message.outputs).toEqual([
      { name: 'probabilities', datatype: 'FP32', shape: [1, 3], parameters: {} },
      { name: 'label', datatype: 'INT64', shape: [1], parameters: {} },
    ]);
    expect(Array.from(decodeRawTensor(message.raw_output_contents[0], 'FP32', [1, 3], 'p') as Float32Array)).toEqual([0.25, 0.5, 0.25]);
    expect(Array.from(decodeRawTensor(message.raw_output_contents[1], 'INT64', [1], 'l') as number[])).toEqual([1]);
  });
});
