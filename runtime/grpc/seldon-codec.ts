/**
 * @module Seldon's protobuf messages (prediction.proto: `SeldonMessage`, `Feedback`) ↔ the JSON messages of
 * Seldon's REST API, for `seldon.protos.Seldon` over gRPC. Calls are served by the REST path, so only the
 * protobuf ↔ JSON step is gRPC's own; it follows protobuf's JSON mapping, as Seldon Core's executor does:
 * - `google.protobuf.Value` / `ListValue` (`jsonData`, `data.ndarray`, `meta.tags`) ↔ JSON values and arrays;
 * - `binData` bytes ↔ base64 text; `data.tensor` as it is; enums by name (`COUNTER`, `FAILURE`);
 * - proto3 leaves empty fields out of the wire, so empty `puid`, `names`, `tags`, `routing`, `requestPath` and
 *   `metrics` are left out of the JSON.
 * What has no JSON form here is a 400 that names the field: `customData` (a `google.protobuf.Any`) and
 * `data.tftensor` (a TensorFlow TensorProto), as the REST path refuses `tftensor`.
 */
import { ProtocolError, REASONS } from '../protocol/errors.ts';
import type { SeldonFeedback, SeldonMessage } from '../protocol/seldon-types.ts';
import type { NodeMetadata, TensorMetadata } from '../host/types.ts';

/** A decoded `google.protobuf.Value` (protobufjs's well-known type: camelCase fields, `kind` naming the one set). */
export interface ProtoValue {
  kind?: string;
  nullValue?: string;
  numberValue?: number;
  stringValue?: string;
  boolValue?: boolean;
  structValue?: { fields?: Record<string, ProtoValue> } | null;
  listValue?: { values?: ProtoValue[] } | null;
}

type Json = null | number | string | boolean | Json[] | { [key: string]: Json };
type Decoded = Record<string, any>;

/** Deeper than this is refused: a recursion bound, far beyond any real payload. */
const MAX_DEPTH = 256;

export function valueToJson(value: ProtoValue | null | undefined, field: string, depth = 0): Json {
  if (depth > MAX_DEPTH) throw bad(`${field}: nested more than ${MAX_DEPTH} levels deep`, field);
  if (value === null || value === undefined) return null;
  switch (kindOf(value)) {
    case 'numberValue':
      if (!Number.isFinite(value.numberValue)) throw bad(`${field}: ${String(value.numberValue)} cannot be carried (the graph runs on JSON, which has no NaN or Infinity)`, field);
      return value.numberValue as number;
    case 'stringValue':
      return value.stringValue ?? '';
    case 'boolValue':
      return value.boolValue ?? false;
    case 'structValue': {
      const out: { [key: string]: Json } = {};
      for (const [key, item] of Object.entries(value.structValue?.fields ?? {})) {
        if (key === '__proto__') throw bad(`${field}.__proto__: is not an accepted key (it could change object prototypes); remove it`, `${field}.__proto__`);
        out[key] = valueToJson(item, `${field}.${key}`, depth + 1);
      }
      return out;
    }
    case 'listValue':
      return (value.listValue?.values ?? []).map((item, i) => valueToJson(item, `${field}[${i}]`, depth + 1));
    default:
      return null;
  }
}

const KINDS = ['nullValue', 'numberValue', 'stringValue', 'boolValue', 'structValue', 'listValue'] as const;

/** Which field of the Value is set: `kind` as decoded (oneofs named), else the one present. */
function kindOf(value: ProtoValue): string | undefined {
  return value.kind ?? KINDS.find((kind) => value[kind] !== undefined && value[kind] !== null);
}

export function jsonToValue(value: unknown): ProtoValue {
  if (value === null || value === undefined) return { nullValue: 'NULL_VALUE' };
  if (typeof value === 'number') return { numberValue: value };
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (Array.isArray(value)) return { listValue: { values: value.map(jsonToValue) } };
  return { structValue: { fields: Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, jsonToValue(item)])) } };
}

/** A decoded SeldonMessage → Seldon's JSON message. Throws a 400 `ProtocolError` naming the field. */
export function seldonMessageFromProto(message: Decoded | null | undefined, field = ''): SeldonMessage {
  const at = (name: string) => (field === '' ? name : `${field}.${name}`);
  const out: Record<string, unknown> = {};
  if (message === null || message === undefined) return out as SeldonMessage;
  if (message.status) {
    const status = message.status as Decoded;
    out.status = { code: status.code ?? 0, info: status.info ?? '', reason: status.reason ?? '', status: status.status ?? 'SUCCESS' };
  }
  if (message.meta) out.meta = metaFromProto(message.meta as Decoded, at('meta'));
  switch (message.data_oneof) {
    case 'data':
      out.data = defaultDataFromProto(message.data as Decoded, at('data'));
      break;
    case 'binData':
      out.binData = Buffer.from(message.binData as Uint8Array).toString('base64');
      break;
    case 'strData':
      out.strData = message.strData;
      break;
    case 'jsonData':
      out.jsonData = valueToJson(message.jsonData as ProtoValue, at('jsonData'));
      break;
    case 'customData':
      throw bad(`${at('customData')}: a google.protobuf.Any has no JSON form here; send data (tensor or ndarray), binData, strData or jsonData`, at('customData'));
  }
  return out as SeldonMessage;
}

function metaFromProto(meta: Decoded, field: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (meta.puid) out.puid = meta.puid;
  const tags = Object.entries((meta.tags ?? {}) as Record<string, ProtoValue>);
  if (tags.length > 0) out.tags = Object.fromEntries(tags.map(([key, value]) => [key, valueToJson(value, `${field}.tags.${key}`)]));
  if (Object.keys(meta.routing ?? {}).length > 0) out.routing = { ...meta.routing };
  if (Object.keys(meta.requestPath ?? {}).length > 0) out.requestPath = { ...meta.requestPath };
  const metrics = (meta.metrics ?? []) as Decoded[];
  if (metrics.length > 0) {
    out.metrics = metrics.map((metric) => ({
      key: metric.key ?? '',
      type: metric.type ?? 'COUNTER',
      value: metric.value ?? 0,
      ...(Object.keys(metric.tags ?? {}).length > 0 ? { tags: { ...metric.tags } } : {}),
    }));
  }
  return out;
}

function defaultDataFromProto(data: Decoded, field: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if ((data.names ?? []).length > 0) out.names = [...data.names];
  switch (data.data_oneof) {
    case 'tensor':
      out.tensor = { shape: [...(data.tensor?.shape ?? [])], values: [...(data.tensor?.values ?? [])] };
      break;
    case 'ndarray':
      out.ndarray = valueToJson({ kind: 'listValue', listValue: data.ndarray }, `${field}.ndarray`);
      break;
    case 'tftensor':
      throw bad(`${field}.tftensor: TensorFlow tensors are not accepted; send data.tensor (shape and values) or data.ndarray`, `${field}.tftensor`);
  }
  return out;
}

/** A decoded Feedback → Seldon's JSON feedback. */
export function feedbackFromProto(feedback: Decoded): SeldonFeedback {
  const out: Record<string, unknown> = { reward: feedback.reward ?? 0 };
  for (const key of ['request', 'response', 'truth'] as const) {
    if (feedback[key]) out[key] = seldonMessageFromProto(feedback[key] as Decoded, key);
  }
  return out as SeldonFeedback;
}

/** Seldon's JSON message (the REST answer) → a SeldonMessage for protobufjs to encode. */
export function seldonMessageToProto(message: SeldonMessage): Decoded {
  const out: Decoded = {};
  const json = message as Record<string, any>;
  if (json.status) out.status = { ...json.status };
  if (json.meta) {
    const meta = json.meta as Record<string, any>;
    out.meta = {
      puid: meta.puid ?? '',
      tags: Object.fromEntries(Object.entries(meta.tags ?? {}).map(([key, value]) => [key, jsonToValue(value)])),
      routing: { ...meta.routing },
      requestPath: { ...meta.requestPath },
      metrics: ((meta.metrics ?? []) as Array<Record<string, unknown>>).map((metric) => ({ ...metric, tags: { ...(metric.tags as object) } })),
    };
  }
  if (json.data) {
    const data = json.data as Record<string, any>;
    out.data = { names: data.names ?? [] };
    if (data.tensor) out.data.tensor = { shape: [...data.tensor.shape], values: Array.from(data.tensor.values as ArrayLike<number>) };
    else if (data.ndarray) out.data.ndarray = { values: (data.ndarray as unknown[]).map(jsonToValue) };
  } else if (json.binData !== undefined) out.binData = Buffer.from(String(json.binData), 'base64');
  else if (json.strData !== undefined) out.strData = json.strData;
  else if (json.jsonData !== undefined) out.jsonData = jsonToValue(json.jsonData);
  return out;
}

/**
 * A metadata message's tensor list (Seldon's `SeldonMessageMetadata`, the Open Inference Protocol's
 * `TensorMetadata`, or their JSON) as plain tensors: 64-bit dimensions, decoded as strings, as numbers.
 */
export function tensorMetadataList(list: unknown): TensorMetadata[] {
  return ((Array.isArray(list) ? list : []) as Decoded[]).map((t) => ({
    name: String(t.name ?? ''),
    datatype: String(t.datatype ?? ''),
    shape: Array.isArray(t.shape) ? (t.shape as Array<string | number>).map(Number) : [],
  }));
}

/** Seldon's JSON feedback → a Feedback for protobufjs to encode (a remote Seldon microservice's SendFeedback). */
export function feedbackToProto(feedback: SeldonFeedback): Decoded {
  const out: Decoded = { reward: feedback.reward ?? 0 };
  for (const key of ['request', 'response', 'truth'] as const) {
    const message = feedback[key];
    if (message) out[key] = seldonMessageToProto(message);
  }
  return out;
}

/** A decoded SeldonModelMetadata (a remote Seldon microservice's `Model/Metadata`) → Seldon's JSON model metadata. */
export function seldonModelMetadataFromProto(metadata: Decoded): NodeMetadata {
  const custom = (metadata.custom ?? {}) as Record<string, string>;
  return {
    name: String(metadata.name ?? ''),
    platform: String(metadata.platform ?? ''),
    versions: Array.isArray(metadata.versions) ? metadata.versions.map(String) : [],
    inputs: tensorMetadataList(metadata.inputs),
    outputs: tensorMetadataList(metadata.outputs),
    ...(Object.keys(custom).length > 0 ? { custom: { ...custom } } : {}),
  };
}

/** Seldon's JSON model metadata (`GET /api/v1.0/metadata/<node>`) → a SeldonModelMetadata; `custom` values as text. */
export function seldonModelMetadataToProto(metadata: Record<string, any>): Decoded {
  const custom = Object.entries((metadata.custom ?? {}) as Record<string, unknown>).map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)]);
  return {
    name: String(metadata.name ?? ''),
    versions: Array.isArray(metadata.versions) ? metadata.versions.map(String) : [],
    platform: String(metadata.platform ?? ''),
    inputs: tensorMetadataList(metadata.inputs),
    outputs: tensorMetadataList(metadata.outputs),
    custom: Object.fromEntries(custom),
  };
}

function bad(message: string, field: string): ProtocolError {
  return new ProtocolError(message, { status: 400, reason: REASONS.invalidMessage, field });
}
