/**
 * @module Parsing an Open Inference Protocol inference request, with every problem named by its path.
 *
 * zod checks the structure (the spec's `$inference_request`); our checks then do what the spec's schema
 * leaves to servers: known datatypes, non-negative integer shapes, element count = product(shape), each
 * element fitting its datatype, unique input names. Nested `data` is flattened (row-major).
 */
import * as z from 'zod';
import { flattenInto, shapeProduct } from './_arrays.ts';
import { describeValue, fromZodIssues, issuesToError, type PathSegment, type PayloadIssue } from './_issues.ts';
import { REASONS } from './errors.ts';
import { binaryExtensionIssues } from './v2-binary.ts';
import { checkElement, isDatatype, unknownDatatypeMessage } from './v2-datatypes.ts';
import type { InferenceParameters, InferenceRequest, RequestInput, RequestOutput, TensorElement } from './v2-types.ts';
import { isTypedValues, type TypedValues } from './packed-values.ts';

const parametersSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

const inputSchema = z.object({
  name: z.string().min(1),
  shape: z.array(z.unknown()),
  datatype: z.unknown(),
  parameters: parametersSchema.optional(),
  // Raw FP32/FP64 (the binary extension) are decoded into typed arrays already: numbers by construction.
  data: z.union([z.array(z.unknown()), z.custom<TypedValues>(isTypedValues)]),
});

const requestSchema = z.object({
  id: z.string().optional(),
  parameters: parametersSchema.optional(),
  inputs: z.array(z.unknown()).min(1),
  outputs: z.array(z.object({ name: z.string().min(1), parameters: parametersSchema.optional() })).optional(),
});

/** How many bad elements of one input are spelled out before the rest are only counted. */
const MAX_ELEMENT_ISSUES = 1;

/** Validate a parsed JSON value as an `InferenceRequest`; throws a 400 `ProtocolError` naming every problem. */
export function parseInferenceRequest(json: unknown): InferenceRequest {
  const parsed = requestSchema.safeParse(json, { reportInput: true });
  if (!parsed.success) throw invalid(fromZodIssues(parsed.error.issues).map(explainParameters));
  const issues: PayloadIssue[] = binaryExtensionIssues(parsed.data);
  const inputs: RequestInput[] = [];
  const seen = new Map<string, number>();
  parsed.data.inputs.forEach((raw, i) => {
    const input = parseInput(raw, ['inputs', i], issues);
    if (input === undefined) return;
    const earlier = seen.get(input.name);
    if (earlier !== undefined) {
      issues.push({ path: ['inputs', i, 'name'], message: `duplicate input name "${input.name}" (also inputs[${earlier}])` });
    }
    seen.set(input.name, i);
    inputs.push(input);
  });
  if (issues.length > 0) throw invalid(issues);
  const request: InferenceRequest = { inputs };
  if (parsed.data.id !== undefined) request.id = parsed.data.id;
  if (parsed.data.parameters !== undefined) request.parameters = parsed.data.parameters;
  if (parsed.data.outputs !== undefined) {
    request.outputs = parsed.data.outputs.map(({ name, parameters }): RequestOutput => (parameters === undefined ? { name } : { name, parameters }));
  }
  return request;
}

function parseInput(raw: unknown, path: PathSegment[], issues: PayloadIssue[]): RequestInput | undefined {
  const parsed = inputSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    for (const issue of fromZodIssues(parsed.error.issues)) issues.push(explainParameters({ path: [...path, ...issue.path], message: issue.message }));
    return undefined;
  }
  const { name, shape, datatype, parameters, data } = parsed.data;
  const before = issues.length;
  shape.forEach((dim, d) => {
    if (typeof dim !== 'number' || !Number.isSafeInteger(dim) || dim < 0) {
      const hint = dim === -1 ? ' (-1 marks a variable dimension in metadata; a request must give the actual size)' : '';
      issues.push({ path: [...path, 'shape', d], message: `expected a non-negative integer dimension, received ${describeValue(dim)}${hint}` });
    }
  });
  if (!isDatatype(datatype)) issues.push({ path: [...path, 'datatype'], message: unknownDatatypeMessage(datatype) });
  if (isTypedValues(data)) return typedInput({ name, shape, datatype, parameters, data }, path, issues, before);
  const flat: unknown[] = [];
  const tooDeep = flattenInto(data, flat, [...path, 'data']);
  if (tooDeep !== undefined) issues.push(tooDeep);
  if (issues.length > before || !isDatatype(datatype)) return undefined;

  const dims = shape as number[];
  const expected = shapeProduct(dims);
  if (flat.length !== expected) {
    issues.push({
      path: [...path, 'data'],
      message: `expected ${expected} element(s) (the product of shape [${dims.join(',')}]), received ${flat.length}`,
    });
  }
  const nested = data.some((item) => Array.isArray(item));
  let bad = 0;
  for (let i = 0; i < flat.length; i++) {
    const problem = checkElement(datatype, flat[i]);
    if (problem === undefined) continue;
    if (bad++ < MAX_ELEMENT_ISSUES) {
      issues.push(
        nested
          ? { path: [...path, 'data'], message: `element ${i} (row-major): ${problem}` }
          : { path: [...path, 'data', i], message: problem },
      );
    }
  }
  if (bad > MAX_ELEMENT_ISSUES) issues.push({ path: [...path, 'data'], message: `${bad} elements in all do not fit ${datatype}` });
  if (issues.length > before) return undefined;

  const input: RequestInput = { name, shape: dims, datatype, data: flat as TensorElement[] };
  if (parameters !== undefined) input.parameters = parameters as InferenceParameters;
  return input;
}

/** An input whose values came as raw FP32/FP64 bytes: only the datatype and the element count are left to check. */
function typedInput(
  input: { name: string; shape: unknown[]; datatype: unknown; parameters: unknown; data: TypedValues },
  path: PathSegment[],
  issues: PayloadIssue[],
  before: number,
): RequestInput | undefined {
  const { name, shape, datatype, parameters, data } = input;
  if (issues.length > before || !isDatatype(datatype)) return undefined;
  const expectedType = data instanceof Float32Array ? 'FP32' : 'FP64';
  if (datatype !== expectedType) issues.push({ path: [...path, 'datatype'], message: `expected ${expectedType} for binary ${expectedType} data, received ${datatype}` });
  const dims = shape as number[];
  const expected = shapeProduct(dims);
  if (data.length !== expected) {
    issues.push({ path: [...path, 'data'], message: `expected ${expected} element(s) (the product of shape [${dims.join(',')}]), received ${data.length}` });
  }
  if (issues.length > before) return undefined;
  const out: RequestInput = { name, shape: dims, datatype, data };
  if (parameters !== undefined) out.parameters = parameters as InferenceParameters;
  return out;
}

function explainParameters(issue: PayloadIssue): PayloadIssue {
  const i = issue.path.lastIndexOf('parameters');
  if (i >= 0 && i === issue.path.length - 2) {
    return { path: issue.path, message: `${issue.message} (parameter values must be strings, numbers or booleans)` };
  }
  return issue;
}

function invalid(issues: PayloadIssue[]) {
  return issuesToError('Invalid inference request', issues, { reason: REASONS.invalidRequest });
}
