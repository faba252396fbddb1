/**
 * @module The model's inputs and outputs as Open Inference Protocol (V2) tensor metadata.
 */
import type { InferenceSession } from 'onnxruntime-node';
import type { TensorMetadata } from '../host/types.ts';

/** onnxruntime tensor types → V2 datatypes. */
export const V2_DATATYPES: Readonly<Record<string, string>> = {
  float32: 'FP32',
  float64: 'FP64',
  float16: 'FP16',
  int8: 'INT8',
  int16: 'INT16',
  int32: 'INT32',
  int64: 'INT64',
  uint8: 'UINT8',
  uint16: 'UINT16',
  uint32: 'UINT32',
  uint64: 'UINT64',
  bool: 'BOOL',
  string: 'BYTES',
};

/** One value's metadata: dynamic (symbolic) dimensions become -1; a non-tensor value has no shape. */
export function toTensorMetadata(name: string, meta: InferenceSession.ValueMetadata | undefined): TensorMetadata {
  if (meta === undefined || !meta.isTensor) return { name, datatype: 'FP32', shape: [] };
  return {
    name,
    datatype: V2_DATATYPES[meta.type] ?? meta.type.toUpperCase(),
    shape: meta.shape.map((d) => (typeof d === 'number' && d >= 0 ? d : -1)),
  };
}

/** The value's shape as the session reports it (numbers fixed, strings symbolic), or null when unknown. */
export function declaredShape(meta: InferenceSession.ValueMetadata | undefined): Array<number | string> | null {
  if (meta === undefined || !meta.isTensor || meta.shape.length === 0) return null;
  return meta.shape.map((d) => (typeof d === 'number' && d < 0 ? '?' : d));
}
