/** @module Numeric Seldon payloads as flat tensors, for the built-in combiners. */
import { plainValues } from '../protocol/packed-values.ts';
import type { SeldonMessage, SeldonTensor } from '../protocol/seldon-types.ts';

export interface FlatTensor {
  shape: number[];
  values: number[];
}

export function messageToTensor(message: SeldonMessage, from: string): FlatTensor {
  const data = message.data;
  if (data?.tensor) return { shape: [...data.tensor.shape], values: [...data.tensor.values] };
  if (data?.ndarray) {
    const shape: number[] = [];
    let level: unknown = data.ndarray;
    while (Array.isArray(level)) {
      shape.push(level.length);
      level = level[0];
    }
    const values = (data.ndarray as unknown[]).flat(Infinity);
    if (!values.every((v) => typeof v === 'number')) throw new Error(`the output of "${from}" is not numeric`);
    return { shape, values: values as number[] };
  }
  throw new Error(`the output of "${from}" has no data.ndarray or data.tensor to combine`);
}

/** Encodes `tensor` in the form of `like` (tensor stays tensor, otherwise ndarray). */
export function tensorToMessage(tensor: SeldonTensor, like: SeldonMessage): SeldonMessage {
  const names = like.data?.names;
  if (like.data?.tensor) return { data: { ...(names ? { names } : {}), tensor } };
  return { data: { ...(names ? { names } : {}), ndarray: nest(plainValues(tensor.values), tensor.shape) } };
}

function nest(values: number[], shape: number[]): unknown[] {
  if (shape.length <= 1) return values.slice();
  const [head, ...rest] = shape;
  const size = rest.reduce((a, b) => a * b, 1);
  return Array.from({ length: head! }, (_, i) => nest(values.slice(i * size, (i + 1) * size), rest));
}
