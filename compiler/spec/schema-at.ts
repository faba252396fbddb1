/**
 * @module What the schema says about a field at a path (its description, examples, known keys, numeric
 * range), so that issue hints can say what to write instead.
 */
import { z } from 'zod';
import type { IssuePath } from './issue.ts';

type Schema = z.core.$ZodType;

interface WalkDef {
  innerType?: Schema;
  in?: Schema;
  shape?: Record<string, Schema>;
  valueType?: Schema;
  element?: Schema;
  options?: Schema[];
}

const defOf = (schema: Schema): WalkDef => schema._zod.def as WalkDef;

/** A schema and the schemas it wraps (optional, default, pipe input, …), outermost first. */
function layers(schema: Schema): Schema[] {
  const out: Schema[] = [];
  for (let current: Schema | undefined = schema; current !== undefined; ) {
    out.push(current);
    const def = defOf(current);
    current = def.innerType ?? def.in;
  }
  return out;
}

function step(schema: Schema, segment: string | number): Schema[] {
  for (const layer of layers(schema)) {
    const def = defOf(layer);
    if (def.shape !== undefined) return typeof segment === 'string' && def.shape[segment] ? [def.shape[segment]] : [];
    if (def.valueType !== undefined) return typeof segment === 'string' ? [def.valueType] : [];
    if (def.element !== undefined) return typeof segment === 'number' ? [def.element] : [];
    if (def.options !== undefined) return def.options.flatMap((option) => step(option, segment));
  }
  return [];
}

/** The schemas that may describe the value at `path` (several under a union). */
export function schemasAt(root: Schema, path: IssuePath): Schema[] {
  let current: Schema[] = [root];
  for (const segment of path) current = current.flatMap((schema) => step(schema, segment));
  return current;
}

export interface FieldInfo {
  description?: string;
  examples?: unknown[];
  /** Known keys when the value is an object. */
  keys: string[];
  /** Numeric range when the value is a number. */
  min?: number;
  max?: number;
  integer: boolean;
}

/** Description, examples, keys and range of the field at `path`. */
export function fieldInfo(root: Schema, path: IssuePath): FieldInfo {
  const info: FieldInfo = { keys: [], integer: false };
  const keys = new Set<string>();
  const expand = (schema: Schema): Schema[] => layers(schema).flatMap((layer) => [layer, ...(defOf(layer).options ?? []).flatMap(expand)]);
  for (const schema of schemasAt(root, path)) {
    for (const layer of expand(schema)) {
      const meta = z.globalRegistry.get(layer);
      if (meta?.description !== undefined && info.description === undefined) info.description = meta.description;
      if (meta?.examples !== undefined && info.examples === undefined) info.examples = meta.examples as unknown[];
      const shape = defOf(layer).shape;
      if (shape !== undefined) for (const key of Object.keys(shape)) keys.add(key);
      if (layer instanceof z.ZodNumber) {
        if (layer.minValue !== null && Number.isFinite(layer.minValue) && Math.abs(layer.minValue) < Number.MAX_SAFE_INTEGER) info.min = layer.minValue;
        if (layer.maxValue !== null && Number.isFinite(layer.maxValue) && Math.abs(layer.maxValue) < Number.MAX_SAFE_INTEGER) info.max = layer.maxValue;
        info.integer ||= layer.isInt;
      }
    }
  }
  info.keys = [...keys];
  return info;
}
