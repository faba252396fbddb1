/**
 * Seldon's protobuf messages ↔ its JSON messages (seldon.protos.Seldon over gRPC), each message taken through the
 * real prediction.proto's encoding, as grpc-js sends and receives it.
 */
import { describe, expect, it } from 'vitest';
import { loadSeldonPackage, loadSeldonService } from '../../../runtime/grpc/load-proto.ts';
import { feedbackFromProto, feedbackToProto, jsonToValue, seldonMessageFromProto, seldonMessageToProto, seldonModelMetadataFromProto, seldonModelMetadataToProto, valueToJson } from '../../../runtime/grpc/seldon-codec.ts';
import type { MethodDefinition } from '@grpc/grpc-js';
import type { SeldonMessage } from '../../../runtime/protocol/seldon-types.ts';

const predict = () => loadSeldonService().service.Predict!;
/** A JSON message as a client's protobuf request, decoded as the server decodes it. */
const received = (message: SeldonMessage) => seldonMessageFromProto(predict().requestDeserialize(predict().requestSerialize(seldonMessageToProto(message))) as Record<string, unknown>);

describe('seldonMessageFromProto and seldonMessageToProto', () => {
  it.each<[string, SeldonMessage]>([
    ['an ndarray with names, tags, routing, requestPath and metrics', {
      meta: {
        puid: 'p-1',
        tags: { user: 'u1', score: 0.5, flags: [true, null, { nested: 'x' }] },
        routing: { bandit: 1, features: -1 },
        requestPath: { features: 'features', bandit: 'orchestrator' },
        metrics: [{ key: 'latency', type: 'TIMER', value: 12.5, tags: { node: 'a' } }, { key: 'count', type: 'COUNTER', value: 1 }],
      },
      data: { names: ['a', 'b'], ndarray: [[1, 2.5], [-3, 4]] },
    }],
    ['a tensor', { data: { tensor: { shape: [2, 2], values: [1, 2, 3, 4.25] } } }],
    ['strings in an ndarray', { data: { ndarray: ['a', 'b'] } }],
    ['strData', { strData: 'hello' }],
    ['binData', { binData: Buffer.from([0, 1, 2, 255]).toString('base64') }],
    ['jsonData', { jsonData: { instances: [[1, 2]], options: { deep: [{ a: null }] } } }],
    ['a status', { status: { code: 400, info: 'bad', reason: 'invalid_message', status: 'FAILURE' } }],
  ])('carries %s both ways unchanged', (_name, message) => {
    expect(received(message)).toEqual(message);
  });

  it('leaves out what proto3 cannot tell from empty', () => {
    expect(received({ meta: { puid: '', tags: {}, routing: {}, requestPath: {}, metrics: [] }, data: { names: [], ndarray: [] } })).toEqual({ meta: {}, data: { ndarray: [] } });
  });
});

describe('seldonMessageFromProto refuses', () => {
  it('customData and tftensor, naming the field', () => {
    expect(() => seldonMessageFromProto({ data_oneof: 'customData', customData: {} })).toThrow(/^customData: a google\.protobuf\.Any has no JSON form here/);
    expect(() => seldonMessageFromProto({ data_oneof: 'data', data: { data_oneof: 'tftensor', tftensor: {} } })).toThrow(/^data\.tftensor: TensorFlow tensors are not accepted/);
  });

  it('a __proto__ key, numbers JSON cannot carry, and nesting beyond the bound', () => {
    expect(() => valueToJson({ kind: 'structValue', structValue: { fields: Object.defineProperty({}, '__proto__', { value: { kind: 'nullValue' }, enumerable: true }) } }, 'jsonData')).toThrow(/jsonData\.__proto__: is not an accepted key/);
    expect(() => valueToJson({ kind: 'listValue', listValue: { values: [{ kind: 'numberValue', numberValue: Number.NaN }] } }, 'jsonData')).toThrow(/jsonData\[0\]: NaN cannot be carried/);
    let deep: unknown = 1;
    for (let i = 0; i < 300; i++) deep = [deep];
    expect(() => valueToJson(jsonToValue(deep) as never, 'data.ndarray')).toThrow(/data\.ndarray.*: nested more than 256 levels deep/);
  });
});

describe('feedbackFromProto', () => {
  it('keeps the request, response, truth and reward', () => {
    const feedback = loadSeldonService().service.SendFeedback!;
    const bytes = feedback.requestSerialize({ request: seldonMessageToProto({ data: { ndarray: [[1]] } }), response: seldonMessageToProto({ meta: { puid: 'p', routing: { bandit: 0 } }, data: { ndarray: [[0.2, 0.8]] } }), reward: 0.5 });
    expect(feedbackFromProto(feedback.requestDeserialize(bytes) as Record<string, unknown>)).toEqual({
      reward: 0.5,
      request: { data: { ndarray: [[1]] } },
      response: { meta: { puid: 'p', routing: { bandit: 0 } }, data: { ndarray: [[0.2, 0.8]] } },
    });
  });
});

/** A method of one of Seldon's component services, as a `seldon-grpc` remote node's client calls it. */
const componentMethod = (service: string, method: string) => (loadSeldonPackage()[`seldon.protos.${service}`] as Record<string, MethodDefinition<unknown, unknown>>)[method]!;

describe('feedbackToProto', () => {
  it('sends what feedbackFromProto reads back, through Model/SendFeedback\'s encoding', () => {
    const send = componentMethod('Model', 'SendFeedback');
    const feedback = { request: { data: { ndarray: [[1, 2]] } }, response: { meta: { puid: 'p', routing: { bandit: 1 } }, data: { tensor: { shape: [1], values: [0.5] } } }, truth: { data: { ndarray: [[0, 1]] } }, reward: 0.25 };
    expect(feedbackFromProto(send.requestDeserialize(send.requestSerialize(feedbackToProto(feedback))) as Record<string, unknown>)).toEqual(feedback);
  });

  it('sends a reward of 0 when the feedback has none', () => {
    const send = componentMethod('Model', 'SendFeedback');
    expect(feedbackFromProto(send.requestDeserialize(send.requestSerialize(feedbackToProto({ response: { strData: 'x' } }))) as Record<string, unknown>)).toEqual({ reward: 0, response: { strData: 'x' } });
  });
});

describe('seldonModelMetadataFromProto', () => {
  it('reads Model/Metadata\'s answer: tensors with numeric shapes, versions, custom', () => {
    const metadata = componentMethod('Model', 'Metadata');
    const sent = { name: 'iris', platform: 'sklearn', versions: ['v1'], inputs: [{ name: 'x', datatype: 'FP64', shape: [-1, 4] }], outputs: [{ name: 'y', datatype: 'FP64', shape: [-1, 3] }], custom: { author: 'me' } };
    const bytes = metadata.responseSerialize(seldonModelMetadataToProto(sent));
    expect(seldonModelMetadataFromProto(metadata.responseDeserialize(bytes) as Record<string, unknown>)).toEqual(sent);
  });

  it('leaves custom out when the microservice sends none', () => {
    const metadata = componentMethod('Model', 'Metadata');
    const bytes = metadata.responseSerialize({ name: 'm' });
    expect(seldonModelMetadataFromProto(metadata.responseDeserialize(bytes) as Record<string, unknown>)).toEqual({ name: 'm', platform: '', versions: [], inputs: [], outputs: [] });
  });
});
