/**
 * @module KServe's V1 protocol at the graph's front door (`POST /v1/models/<graph>:predict`, the protocol of
 * KServe's sklearn, xgboost, lightgbm and custom predictors): its request as a Seldon message for the graph, and
 * the graph's answer as its response.
 *
 * Request `{"instances": [...], ...}`:
 * - instances that are numbers, strings, booleans or arrays of them (rows) → `data.ndarray` (the rows), which an
 *   ONNX model, a transformer or a router reads as any Seldon client's rows; the body's other top-level fields
 *   become `meta.tags` (as a V2 request's `parameters` do), so components and a `switch` router see them;
 * - anything else — instances that are objects (`{"b64": …}` images, named features), or a body without
 *   `instances`, as a custom predictor takes it — → `jsonData`, the body as it came;
 * - `instances` that is not a list, or a body that is not a JSON object, is a 400 naming the field.
 *
 * Response `{"predictions": [...]}`: `data.ndarray` as it is; `data.tensor` nested by its shape; `jsonData` that is
 * an object as it is (what a KServe custom predictor returns is its response; `kserve-ensemble`'s map), a list as
 * the predictions, anything else as the one prediction; `strData` and `binData` (base64) as one prediction each.
 */
import { reshape } from './_arrays.ts';
import { ProtocolError, REASONS } from './errors.ts';
import type { SeldonMessage } from './seldon-types.ts';

/** `{"predictions": [...]}`, or the object a graph answered as `jsonData`. */
export type PredictResponse = { predictions: unknown[] } | Record<string, unknown>;

/** The body of `POST /v1/models/<graph>:predict` as the graph's Seldon message. Throws a 400 naming the field. */
export function predictRequestToSeldon(body: unknown): SeldonMessage {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ProtocolError(`the body must be a JSON object, {"instances": [...]}; received ${Array.isArray(body) ? 'an array' : JSON.stringify(body)}`, {
      status: 400,
      reason: REASONS.invalidMessage,
      field: 'instances',
    });
  }
  const instances = (body as { instances?: unknown }).instances;
  if (instances === undefined) return { jsonData: body as Record<string, unknown> } as SeldonMessage;
  if (!Array.isArray(instances)) {
    throw new ProtocolError(`instances: expected a list of instances, [[…], …]; received ${JSON.stringify(instances)?.slice(0, 100)}`, {
      status: 400,
      reason: REASONS.invalidMessage,
      field: 'instances',
    });
  }
  if (!instances.every(isRowValue)) return { jsonData: body as Record<string, unknown> } as SeldonMessage;
  const { instances: _rows, ...rest } = body as Record<string, unknown>;
  return Object.keys(rest).length === 0 ? { data: { ndarray: instances } } : { data: { ndarray: instances }, meta: { tags: rest } };
}

/** A number, string or boolean, or a list of them, however nested: what Seldon's `data.ndarray` carries as rows. */
function isRowValue(value: unknown): boolean {
  if (Array.isArray(value)) return value.every(isRowValue);
  return typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean';
}

/** The graph's answer as a KServe V1 predict response. */
export function seldonToPredictResponse(answer: SeldonMessage): PredictResponse {
  const data = answer.data;
  if (data?.ndarray !== undefined) return { predictions: data.ndarray as unknown[] };
  if (data?.tensor !== undefined) {
    const nested = reshape(data.tensor.values, data.tensor.shape);
    return { predictions: Array.isArray(nested) ? nested : [nested] };
  }
  if ('jsonData' in answer && answer.jsonData !== undefined) {
    const json = answer.jsonData as unknown;
    if (json !== null && typeof json === 'object' && !Array.isArray(json)) return json as Record<string, unknown>;
    return { predictions: Array.isArray(json) ? json : [json] };
  }
  if (answer.strData !== undefined) return { predictions: [answer.strData] };
  if (answer.binData !== undefined) return { predictions: [answer.binData] };
  return { predictions: [] };
}
