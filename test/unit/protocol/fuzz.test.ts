/**
 * Bounded property-based fuzzing of the decoders (fast-check, fixed seed, 300 runs each): on any input they
 * throw nothing but `ProtocolError`, and valid input round-trips — V2 requests through the graph's Seldon
 * message and back, Seldon messages through parsing and the component payload form, tensors through raw bytes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { modelInferToRest } from '../../../runtime/grpc/infer-codec.ts';
import { ProtocolError } from '../../../runtime/protocol/errors.ts';
import { findJsonHazard } from '../../../runtime/protocol/json-guard.ts';
import { messageToX, xToMessage } from '../../../runtime/protocol/seldon-payload.ts';
import { parseSeldonFeedback, parseSeldonMessage } from '../../../runtime/protocol/seldon-schema.ts';
import { decodeBinaryRequestBody } from '../../../runtime/protocol/v2-binary.ts';
import { decodeRawTensor, encodeRawTensor } from '../../../runtime/protocol/v2-raw.ts';
import { parseInferenceRequest } from '../../../runtime/protocol/v2-request.ts';
import { inferenceRequestToSeldon, seldonToInferenceResponse } from '../../../runtime/protocol/v2-seldon.ts';
import { DATATYPES, type Datatype } from '../../../runtime/protocol/v2-types.ts';
import { v2Input, seldonMessage, nearSeldon, nearV2 } from './fuzz-arbitraries.ts';

const RUNS = { numRuns: 300, seed: 20_251_125 };

/** Runs `f`; anything thrown must be a ProtocolError with a 4xx/5xx status and a message. */
function onlyProtocolErrors(f: () => unknown): boolean {
  try {
    f();
  } catch (error) {
    if (!(error instanceof ProtocolError)) throw error;
    expect(error.status).toBeGreaterThanOrEqual(400);
    expect(error.message.length).toBeGreaterThan(0);
  }
  return true;
}

describe('decoders throw only ProtocolError', () => {
  const anything = fc.oneof(fc.jsonValue(), nearSeldon, nearV2);

  it('parseSeldonMessage and parseSeldonFeedback', () => {
    fc.assert(fc.property(anything, (json) => onlyProtocolErrors(() => parseSeldonMessage(json)) && onlyProtocolErrors(() => parseSeldonFeedback(json))), RUNS);
  });

  it('parseInferenceRequest, then the conversion to Seldon', () => {
    fc.assert(fc.property(anything, (json) => onlyProtocolErrors(() => inferenceRequestToSeldon(parseInferenceRequest(json)))), RUNS);
  });

  it('seldonToInferenceResponse on any parsed Seldon message', () => {
    fc.assert(
      fc.property(anything, fc.constantFrom(...DATATYPES), (json, datatype) =>
        onlyProtocolErrors(() => seldonToInferenceResponse(parseSeldonMessage(json), { modelName: 'm', input: { name: 'x', datatype, shape: [1] } })),
      ),
      RUNS,
    );
  });

  it('decodeRawTensor and the binary extension on arbitrary bytes, datatypes and shapes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.oneof(fc.constantFrom(...DATATYPES), fc.string()), fc.array(fc.oneof(fc.integer(), fc.double(), fc.constant(1e12)), { maxLength: 4 }), fc.string({ maxLength: 6 }), (bytes, datatype, shape, header) =>
        onlyProtocolErrors(() => decodeRawTensor(bytes, datatype, shape, 'raw')) && onlyProtocolErrors(() => decodeBinaryRequestBody(bytes, header)),
      ),
      RUNS,
    );
  });

  it('the gRPC request conversion on arbitrary (decoded) ModelInferRequests', () => {
    const request = fc.record({
      model_name: fc.constantFrom('', 'm'),
      inputs: fc.array(fc.record({ name: fc.string(), datatype: fc.oneof(fc.constantFrom(...DATATYPES), fc.string()), shape: fc.array(fc.oneof(fc.integer(), fc.constant('1000000000000')), { maxLength: 3 }), contents: fc.dictionary(fc.constantFrom('fp32_contents', 'int_contents', 'int64_contents', 'bytes_contents', 'bool_contents'), fc.array(fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.uint8Array({ maxLength: 4 })), { maxLength: 4 })) }), { maxLength: 2 }),
      raw_input_contents: fc.array(fc.uint8Array({ maxLength: 16 }), { maxLength: 2 }),
      parameters: fc.dictionary(fc.string(), fc.oneof(fc.record({ parameter_choice: fc.constant('int64_param'), int64_param: fc.oneof(fc.string(), fc.integer()) }), fc.record({ parameter_choice: fc.constant('double_param'), double_param: fc.double() }), fc.constant({}))),
    });
    fc.assert(fc.property(request, (r) => onlyProtocolErrors(() => modelInferToRest(r as never))), RUNS);
  });

  it('the JSON guard never throws, and flags exactly the bodies deeper than its limit', () => {
    const depthOf = (value: unknown): number =>
      value !== null && typeof value === 'object' ? 1 + Math.max(0, ...Object.values(value as object).map(depthOf)) : 0;
    const hasPrototypeKey = (value: unknown): boolean =>
      value !== null && typeof value === 'object' && (Object.hasOwn(value, '__proto__') || Object.values(value as object).some(hasPrototypeKey));
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.integer({ min: 1, max: 6 }), (json, limit) => {
        const parsed = JSON.parse(JSON.stringify(json)) as unknown;
        expect(findJsonHazard(parsed, limit) !== undefined).toBe(depthOf(parsed) > limit || hasPrototypeKey(parsed));
      }),
      RUNS,
    );
  });
});

describe('valid input round-trips', () => {
  it('a V2 request → the graph\'s Seldon message → a V2 response with the same datatype, shape and data', () => {
    fc.assert(
      fc.property(v2Input, fc.option(fc.string({ minLength: 1, maxLength: 8 }), { nil: undefined }), (input, id) => {
        const request = parseInferenceRequest(JSON.parse(JSON.stringify(id === undefined ? { inputs: [input] } : { id, inputs: [input] })));
        const converted = inferenceRequestToSeldon(request);
        const echoed = parseSeldonMessage(JSON.parse(JSON.stringify(converted.message)));
        const response = seldonToInferenceResponse(echoed, { modelName: 'm', id: request.id, input: converted.input });
        const [output] = response.outputs;
        expect(output!.datatype).toBe(input.datatype);
        expect(output!.data).toEqual(input.data);
        if (input.datatype !== 'BYTES' || input.data.length > 1) expect(output!.shape).toEqual(input.shape);
        if (id !== undefined) expect(response.id).toBe(id);
      }),
      RUNS,
    );
  });

  it('a Seldon message parses to itself, and its payload survives the component form (X) and back', () => {
    fc.assert(
      fc.property(seldonMessage, (message) => {
        const parsed = parseSeldonMessage(JSON.parse(JSON.stringify(message)));
        expect(parsed).toEqual(message);
        const { X, form } = messageToX(parsed);
        const back = xToMessage(X, form, parsed.data?.names);
        const { meta: _meta, ...payload } = parsed;
        expect(back).toEqual(payload);
      }),
      RUNS,
    );
  });

  it('a tensor survives raw bytes (FP16 values exactly representable in half precision)', () => {
    fc.assert(
      fc.property(v2Input, (input) => {
        expect(Array.from(decodeRawTensor(encodeRawTensor(input.data, input.datatype as Datatype), input.datatype, input.shape, 'raw'))).toEqual(input.data);
      }),
      RUNS,
    );
  });
});
