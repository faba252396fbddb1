/**
 * @module Calling an Open Inference Protocol server from a graph: the Seldon message that reaches a remote V2 node
 * as an inference request, and the server's inference response back as a Seldon message.
 *
 * - `data.tensor` and numeric `data.ndarray` → one input of the node's `datatype` (FP32 by default; INT32/INT64
 *   need whole numbers), its shape the tensor's or the ndarray's; string ndarrays and `strData` → BYTES;
 *   `jsonData` and `binData` have no tensor form: a 400 that says so.
 * - The response's first output (or the one named) → `data.ndarray` (nested by its shape) when the request came as an ndarray or
 *   strData, else `data.tensor`; a response without a readable first output is an Error (the caller makes it a 502).
 */
import { findNotRectangular, flattenInto, leadingShape, reshape } from './_arrays.ts';
import { formatPath } from './_issues.ts';
import { ProtocolError, REASONS } from './errors.ts';
import type { SeldonMessage } from './seldon-types.ts';
import type { Datatype, InferenceRequest, TensorElement } from './v2-types.ts';

export interface RemoteInput {
  /** The input tensor's name. */
  name: string;
  /** What numbers are sent as. */
  datatype: 'FP32' | 'FP64' | 'INT32' | 'INT64';
  /** The request id (the prediction's puid). */
  id?: string | undefined;
  /** The output to ask for by name (absent: whatever the server answers). */
  outputName?: string | undefined;
}

/** A Seldon message as a V2 inference request with one input. Throws a 400 `ProtocolError` naming the field. */
export function seldonToInferenceRequest(message: SeldonMessage, input: RemoteInput): InferenceRequest {
  const tensor = (shape: number[], datatype: Datatype, data: TensorElement[]): InferenceRequest => ({
    ...(input.id === undefined ? {} : { id: input.id }),
    inputs: [{ name: input.name, shape, datatype, data }],
    ...(input.outputName === undefined ? {} : { outputs: [{ name: input.outputName }] }),
  });
  const numbers = (values: ArrayLike<unknown>, field: string): TensorElement[] => {
    const out = Array.from(values as ArrayLike<number>);
    if (input.datatype === 'INT32' || input.datatype === 'INT64') {
      const at = out.findIndex((v) => !Number.isInteger(v));
      if (at >= 0) throw bad(`${field}: ${input.datatype} takes whole numbers, received ${out[at]} at element ${at}; send whole numbers, or set the remote node's datatype to FP32`, field);
    }
    return out;
  };
  const data = message.data;
  if (data?.tensor !== undefined) return tensor([...data.tensor.shape], input.datatype, numbers(data.tensor.values, 'data.tensor.values'));
  if (data?.ndarray !== undefined) {
    const shape = leadingShape(data.ndarray);
    const leaves: unknown[] = [];
    flattenInto(data.ndarray, leaves);
    const kind = typeof leaves[0];
    const leafKind = kind === 'string' ? 'strings' : kind === 'boolean' ? 'booleans' : 'numbers';
    const problem = findNotRectangular(data.ndarray, shape, (leaf) => typeof leaf === kind && (kind !== 'number' || Number.isFinite(leaf)), leafKind, ['data', 'ndarray']);
    if (problem !== undefined) throw bad(`${formatPath(problem.path)}: ${problem.message}; an Open Inference Protocol tensor holds one kind of value in a rectangular array`, formatPath(problem.path));
    if (kind === 'string') return tensor(shape, 'BYTES', leaves as string[]);
    if (kind === 'boolean') return tensor(shape, 'BOOL', leaves as boolean[]);
    return tensor(shape, input.datatype, numbers(leaves, 'data.ndarray'));
  }
  if (message.strData !== undefined) return tensor([1], 'BYTES', [message.strData]);
  const form = 'jsonData' in message && message.jsonData !== undefined ? 'jsonData' : message.binData !== undefined ? 'binData' : undefined;
  throw bad(
    form === undefined
      ? 'message: expected data.tensor, data.ndarray or strData to send to the Open Inference Protocol server'
      : `${form}: an Open Inference Protocol server takes tensors; send data.tensor, data.ndarray or strData (or put a transformer before this node that turns ${form} into a tensor)`,
    form ?? 'data',
  );
}

/** The output named `outputName` (else the first) of a V2 inference response as a Seldon message, in the request's form. */
export function inferenceResponseToSeldon(response: unknown, request: SeldonMessage, outputName?: string): SeldonMessage {
  const outputs = (response as { outputs?: unknown } | null)?.outputs;
  if (!Array.isArray(outputs) || outputs.length === 0) throw new Error(`expected "outputs" with at least one tensor, received ${JSON.stringify(outputs ?? null).slice(0, 100)}`);
  const named = outputName === undefined ? outputs[0] : outputs.find((o) => (o as { name?: unknown } | null)?.name === outputName);
  if (named === undefined) {
    const names = outputs.map((o) => JSON.stringify((o as { name?: unknown } | null)?.name ?? null)).join(', ');
    throw new Error(`no output named "${outputName}" among ${names}`);
  }
  const output = named as { name?: unknown; shape?: unknown; data?: unknown };
  const shape = output.shape;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) throw new Error(`outputs[0].shape: expected a list of dimensions, received ${JSON.stringify(shape ?? null)}`);
  if (!Array.isArray(output.data)) throw new Error(`outputs[0].data: expected the tensor's values, received ${JSON.stringify(output.data ?? null).slice(0, 100)}`);
  const values: unknown[] = [];
  flattenInto(output.data, values);
  const count = (shape as number[]).reduce((n, d) => n * d, 1);
  if (values.length !== count) throw new Error(`outputs[0]: shape ${JSON.stringify(shape)} holds ${count} values, data has ${values.length}`);
  const numeric = values.every((v) => typeof v === 'number');
  const asNdarray = !numeric || request.data?.tensor === undefined;
  const body: SeldonMessage = asNdarray
    ? { data: { ndarray: (shape.length === 0 ? values : reshape(values, shape as number[])) as unknown[] } }
    : { data: { tensor: { shape: [...(shape as number[])], values: values as number[] } } };
  if (request.meta !== undefined) body.meta = { ...request.meta };
  return body;
}

function bad(message: string, field: string): ProtocolError {
  return new ProtocolError(message, { status: 400, reason: REASONS.invalidMessage, field });
}
