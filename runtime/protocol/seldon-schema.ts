/**
 * @module Parsing Seldon messages (prediction.proto, JSON mapping) with every problem named by its path.
 *
 * zod checks the structure; our own checks then look at what zod cannot say well: one payload per message,
 * tensor values against the shape, rectangular numeric ndarrays, base64 binData, NaN written as a string.
 * Unknown fields are rejected with the list of allowed ones (a typo such as `dat` is named, not ignored).
 */
import * as z from 'zod';
import { REASONS, type ProtocolError } from './errors.ts';
import { checkBase64, checkNdarray, checkTensor } from './_seldon-checks.ts';
import { fromZodIssues, issuesToError, type PathSegment, type PayloadIssue } from './_issues.ts';
import { isTypedValues, type TypedValues } from './packed-values.ts';
import type { SeldonFeedback, SeldonMessage, SeldonMessageList } from './seldon-types.ts';

export const PAYLOAD_FIELDS = ['data', 'binData', 'strData', 'jsonData'] as const;
export type PayloadField = (typeof PAYLOAD_FIELDS)[number];

const MESSAGE_KEYS = ['status', 'meta', ...PAYLOAD_FIELDS, 'customData'];
const DATA_KEYS = ['names', 'tensor', 'ndarray', 'tftensor'];
const META_KEYS = ['puid', 'tags', 'routing', 'requestPath', 'metrics'];

const metricSchema = z.strictObject({
  key: z.string(),
  type: z.enum(['COUNTER', 'GAUGE', 'TIMER']).optional(),
  value: z.number().optional(),
  tags: z.record(z.string(), z.string()).optional(),
});

const metaSchema = z.strictObject({
  puid: z.string().optional(),
  tags: z.record(z.string(), z.unknown()).optional(),
  routing: z.record(z.string(), z.int()).optional(),
  requestPath: z.record(z.string(), z.string()).optional(),
  metrics: z.array(metricSchema).optional(),
});

const dataSchema = z.strictObject({
  names: z.array(z.string()).optional(),
  // Values from a packed body (packed-body.ts) are typed arrays already: numbers by construction.
  tensor: z.strictObject({ shape: z.array(z.unknown()), values: z.union([z.array(z.unknown()), z.custom<TypedValues>(isTypedValues)]) }).optional(),
  ndarray: z.array(z.unknown()).optional(),
  tftensor: z.unknown().optional(),
});

const statusSchema = z.strictObject({
  code: z.int().optional(),
  info: z.string().optional(),
  reason: z.string().optional(),
  status: z.enum(['SUCCESS', 'FAILURE']).optional(),
});

const messageSchema = z.strictObject({
  status: statusSchema.optional(),
  meta: metaSchema.optional(),
  data: dataSchema.optional(),
  binData: z.string().optional(),
  strData: z.string().optional(),
  jsonData: z.unknown().optional(),
  customData: z.unknown().optional(),
});

const feedbackSchema = z.strictObject({
  request: z.unknown().optional(),
  response: z.unknown().optional(),
  reward: z.number().optional(),
  truth: z.unknown().optional(),
});

const messageListSchema = z.strictObject({ seldonMessages: z.array(z.unknown()) });

export interface ParseSeldonOptions {
  /** Require exactly one of data/binData/strData/jsonData (default true); false allows none (meta-only replies). */
  requirePayload?: boolean;
}

/** Validate a parsed JSON value as a `SeldonMessage`; throws a 400 `ProtocolError` naming every problem. */
export function parseSeldonMessage(json: unknown, options: ParseSeldonOptions = {}): SeldonMessage {
  const issues: PayloadIssue[] = [];
  const message = checkMessage(json, [], options.requirePayload ?? true, issues);
  if (message === undefined || issues.length > 0) throw invalid('Invalid Seldon message', issues);
  return message;
}

/** Validate a `Feedback`: `{request?, response?, reward?, truth?}`; its messages may carry no payload. */
export function parseSeldonFeedback(json: unknown): SeldonFeedback {
  const issues: PayloadIssue[] = [];
  const parsed = feedbackSchema.safeParse(json, { reportInput: true });
  if (!parsed.success) throw invalid('Invalid Seldon feedback', fromZodIssues(parsed.error.issues, feedbackHint));
  const feedback: SeldonFeedback = {};
  for (const key of ['request', 'response', 'truth'] as const) {
    if (parsed.data[key] === undefined) continue;
    const message = checkMessage(parsed.data[key], [key], false, issues);
    if (message !== undefined) feedback[key] = message;
  }
  if (parsed.data.reward !== undefined) feedback.reward = parsed.data.reward;
  if (issues.length > 0) throw invalid('Invalid Seldon feedback', issues);
  return feedback;
}

/** Validate the body of `/aggregate`: `{seldonMessages: [SeldonMessage, …]}` (at least one). */
export function parseSeldonMessageList(json: unknown): SeldonMessageList {
  const parsed = messageListSchema.safeParse(json, { reportInput: true });
  if (!parsed.success) {
    throw invalid('Invalid Seldon message list', fromZodIssues(parsed.error.issues, () => '"seldonMessages"'));
  }
  const issues: PayloadIssue[] = [];
  if (parsed.data.seldonMessages.length === 0) {
    issues.push({ path: ['seldonMessages'], message: 'expected at least one message to aggregate, received none' });
  }
  const seldonMessages: SeldonMessage[] = [];
  parsed.data.seldonMessages.forEach((item, i) => {
    const message = checkMessage(item, ['seldonMessages', i], true, issues);
    if (message !== undefined) seldonMessages.push(message);
  });
  if (issues.length > 0) throw invalid('Invalid Seldon message list', issues);
  return { seldonMessages };
}

function invalid(what: string, issues: PayloadIssue[]): ProtocolError {
  return issuesToError(what, issues, { reason: REASONS.invalidMessage });
}

function feedbackHint(path: PathSegment[]): string | undefined {
  return path.length === 0 ? '"request", "response", "reward", "truth"' : undefined;
}

function keyHint(path: PathSegment[]): string | undefined {
  const last = path.at(-1);
  const keys = path.length === 0 || typeof last === 'number' ? MESSAGE_KEYS : last === 'data' ? DATA_KEYS : last === 'meta' ? META_KEYS : undefined;
  return keys?.map((k) => JSON.stringify(k)).join(', ');
}

/** Check one message at `path`, pushing issues; returns the message when its structure is valid. */
function checkMessage(json: unknown, path: PathSegment[], requirePayload: boolean, issues: PayloadIssue[]): SeldonMessage | undefined {
  const before = issues.length;
  const parsed = messageSchema.safeParse(json, { reportInput: true });
  if (!parsed.success) {
    for (const issue of fromZodIssues(parsed.error.issues, (p) => keyHint([...path, ...p]))) {
      issues.push({ path: [...path, ...issue.path], message: issue.message });
    }
  }
  // The payload checks run on the raw value too, so that every problem is reported at once.
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return undefined;
  const input = json as Record<string, unknown>;
  const present = PAYLOAD_FIELDS.filter((key) => input[key] !== undefined);
  if (input['customData'] !== undefined) {
    issues.push({ path: [...path, 'customData'], message: 'is not supported; send data, binData, strData or jsonData' });
  }
  if (present.length > 1) {
    issues.push({ path, message: `expected exactly one of data, binData, strData, jsonData; received ${present.join(' and ')}` });
  } else if (present.length === 0 && requirePayload && input['customData'] === undefined) {
    issues.push({ path, message: 'expected exactly one of data, binData, strData, jsonData; received none' });
  }
  const data = input['data'];
  if (data !== null && typeof data === 'object' && !Array.isArray(data)) {
    const record = data as Record<string, unknown>;
    const kinds = (['tensor', 'ndarray', 'tftensor'] as const).filter((k) => record[k] !== undefined);
    if (record['tftensor'] !== undefined) {
      issues.push({ path: [...path, 'data', 'tftensor'], message: 'is not supported; send data.tensor or data.ndarray' });
    }
    if (kinds.length > 1) {
      issues.push({ path: [...path, 'data'], message: `expected one of tensor, ndarray; received ${kinds.join(' and ')}` });
    }
    const tensor = record['tensor'] as { shape?: unknown; values?: unknown } | undefined;
    if (tensor !== null && typeof tensor === 'object' && Array.isArray(tensor.shape) && (Array.isArray(tensor.values) || isTypedValues(tensor.values))) {
      checkTensor({ shape: tensor.shape, values: tensor.values }, [...path, 'data', 'tensor'], issues);
    }
    if (Array.isArray(record['ndarray'])) checkNdarray(record['ndarray'], [...path, 'data', 'ndarray'], issues);
  }
  if (typeof input['binData'] === 'string') checkBase64(input['binData'], [...path, 'binData'], issues);
  if (!parsed.success || issues.length > before) return undefined;
  const valid = parsed.data;

  const message: SeldonMessage = {};
  if (valid.status !== undefined) {
    message.status = {
      code: valid.status.code ?? 0,
      info: valid.status.info ?? '',
      reason: valid.status.reason ?? '',
      status: valid.status.status ?? 'SUCCESS',
    };
  }
  if (valid.meta !== undefined) {
    const { metrics, ...rest } = valid.meta;
    message.meta = rest as NonNullable<SeldonMessage['meta']>;
    if (metrics !== undefined) {
      message.meta.metrics = metrics.map(({ key, type, value, tags }) =>
        tags === undefined ? { key, type: type ?? 'COUNTER', value: value ?? 0 } : { key, type: type ?? 'COUNTER', value: value ?? 0, tags },
      );
    }
  }
  if (valid.data !== undefined) message.data = valid.data as NonNullable<SeldonMessage['data']>;
  if (valid.binData !== undefined) message.binData = valid.binData;
  if (valid.strData !== undefined) message.strData = valid.strData;
  if ('jsonData' in valid && valid.jsonData !== undefined) message.jsonData = valid.jsonData;
  return message;
}
