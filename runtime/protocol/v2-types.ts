/**
 * @module Open Inference Protocol (KServe "V2") REST messages, as switchyard holds them once parsed.
 *
 * `data` is always flat (row-major) after parsing: the wire allows nested or flat arrays, the codec flattens.
 */
import type { TypedValues } from './packed-values.ts';

export const DATATYPES = [
  'BOOL',
  'UINT8',
  'UINT16',
  'UINT32',
  'UINT64',
  'INT8',
  'INT16',
  'INT32',
  'INT64',
  'FP16',
  'FP32',
  'FP64',
  'BYTES',
] as const;

/** The tensor data types of the Open Inference Protocol's datatype table. */
export type Datatype = (typeof DATATYPES)[number];

export type TensorElement = number | string | boolean;

/** `$parameters`: values are strings, numbers or booleans (the spec allows nothing else). */
export type InferenceParameters = Record<string, string | number | boolean>;

export interface RequestInput {
  name: string;
  shape: number[];
  datatype: Datatype;
  parameters?: InferenceParameters;
  /** Flat, row-major; `shape`'s product elements. FP32/FP64 sent as raw bytes stay a typed array. */
  data: TensorElement[] | TypedValues;
}

export interface RequestOutput {
  name: string;
  parameters?: InferenceParameters;
}

export interface InferenceRequest {
  id?: string;
  parameters?: InferenceParameters;
  inputs: RequestInput[];
  outputs?: RequestOutput[];
}

export interface ResponseOutput {
  name: string;
  shape: number[];
  datatype: Datatype;
  parameters?: InferenceParameters;
  data: TensorElement[];
}

export interface InferenceResponse {
  model_name: string;
  model_version?: string;
  id?: string;
  parameters?: InferenceParameters;
  outputs: ResponseOutput[];
}

/** `$metadata_tensor`: `-1` marks a variable-size dimension. */
export interface MetadataTensor {
  name: string;
  datatype: string;
  shape: number[];
}

export interface ModelMetadataResponse {
  name: string;
  versions?: string[];
  platform: string;
  inputs: MetadataTensor[];
  outputs: MetadataTensor[];
}
