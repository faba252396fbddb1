/**
 * @module Calling a KServe V1 predictor from a graph (KServe's default protocol for its sklearn, xgboost and
 * custom servers): `POST <url>/v1/models/<model>:predict` with `{"instances": [...]}`, answered with
 * `{"predictions": [...]}`.
 *
 * - `data.ndarray` → its rows as `instances`; `data.tensor` → its values nested by its shape; `strData` → one
 *   instance, the string; `jsonData` that is an object with `instances` → sent as it is (a custom predictor's own
 *   body); anything else is a 400 that says what to send.
 * - `predictions` → `data.tensor` when the request came as a tensor and the predictions are a rectangular array of
 *   numbers, else `data.ndarray`; a response without a `predictions` list is an Error (the caller makes it a 502).
 */
import { findNotRectangular, flattenInto, leadingShape, reshape } from './_arrays.ts';
import { ProtocolError, REASONS } from './errors.ts';
import type { SeldonMessage } from './seldon-types.ts';

/** A Seldon message as a KServe V1 predict body. Throws a 400 `ProtocolError` naming the field. */
export function seldonToPredictRequest(message: SeldonMessage): { instances: unknown[] } & Record<string, unknown> {
  const data = message.data;
  if (data?.ndarray !== undefined) return { instances: data.ndarray };
  if (data?.tensor !== undefined) {
    const nested = reshape(data.tensor.values, data.tensor.shape);
    return { instances: Array.isArray(nested) ? nested : [nested] };
  }
  if (message.strData !== undefined) return { instances: [message.strData] };
  const json = 'jsonData' in message ? message.jsonData : undefined;
  if (typeof json === 'object' && json !== null && Array.isArray((json as { instances?: unknown }).instances)) {
    return json as { instances: unknown[] };
  }
  const field = json !== undefined ? 'jsonData' : message.binData !== undefined ? 'binData' : 'data';
  throw new ProtocolError(
    `${field}: a KServe V1 predictor takes {"instances": [...]}: send data.ndarray (its rows become the instances), data.tensor, strData, or jsonData with an "instances" list`,
    { status: 400, reason: REASONS.invalidMessage, field },
  );
}

/** A KServe V1 predict response as a Seldon message, in the request's form. */
export function predictResponseToSeldon(response: unknown, request: SeldonMessage): SeldonMessage {
  const predictions = (response as { predictions?: unknown } | null)?.predictions;
  if (!Array.isArray(predictions)) throw new Error(`expected {"predictions": [...]}, received ${JSON.stringify(response ?? null).slice(0, 100)}`);
  let body: SeldonMessage = { data: { ndarray: predictions } };
  if (request.data?.tensor !== undefined) {
    const shape = leadingShape(predictions);
    if (findNotRectangular(predictions, shape, (leaf) => typeof leaf === 'number', 'numbers', []) === undefined) {
      const values: unknown[] = [];
      flattenInto(predictions, values);
      body = { data: { tensor: { shape, values: values as number[] } } };
    }
  }
  if (request.meta !== undefined) body.meta = { ...request.meta };
  return body;
}
