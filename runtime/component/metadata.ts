/**
 * @module A component node's metadata: the component's own `metadata()` over defaults.
 *
 * `name` is always the node's (it is the V2 model name). The component may set `versions`, `platform`,
 * `inputs` and `outputs` (Open Inference Protocol tensor metadata: `{name, datatype, shape}`); any other key,
 * and the keys of its `custom` object, go under `custom`, next to the module, node type and methods.
 */
import type { NodeMetadata, TensorMetadata } from '../host/types.ts';
import type { PlanNode } from '../plan/types.ts';

export const COMPONENT_PLATFORM = 'switchyard-component';

export function defaultMetadata(node: PlanNode, file: string, methods: string[]): NodeMetadata {
  return {
    name: node.name,
    platform: COMPONENT_PLATFORM,
    inputs: [],
    outputs: [],
    custom: { module: file, type: node.type, methods },
  };
}

/** Combine the component's `metadata()` result with the defaults; `warn` is told about fields it ignores. */
export function combineMetadata(defaults: NodeMetadata, own: unknown, warn: (message: string) => void): NodeMetadata {
  if (own === undefined || own === null) return defaults;
  if (typeof own !== 'object' || Array.isArray(own)) {
    warn(`metadata() returned ${Array.isArray(own) ? 'an array' : typeof own}, not an object; it is ignored`);
    return defaults;
  }
  const out: NodeMetadata = { ...defaults, custom: { ...defaults.custom } };
  const custom = out.custom as Record<string, unknown>;
  for (const [key, value] of Object.entries(own)) {
    if (key === '__proto__') continue;
    switch (key) {
      case 'name':
        break;
      case 'platform':
        if (typeof value === 'string' && value !== '') out.platform = value;
        else warn('metadata().platform is not a non-empty string; it is ignored');
        break;
      case 'versions':
        if (Array.isArray(value) && value.every((v) => typeof v === 'string')) out.versions = [...value];
        else warn('metadata().versions is not an array of strings; it is ignored');
        break;
      case 'inputs':
      case 'outputs': {
        const tensors = asTensors(value);
        if (tensors !== undefined) out[key] = tensors;
        else warn(`metadata().${key} is not an array of {name, datatype, shape}; it is ignored`);
        break;
      }
      case 'custom':
        if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
          for (const [k, v] of Object.entries(value)) if (k !== '__proto__') custom[k] = v;
        } else {
          custom[key] = value;
        }
        break;
      default:
        custom[key] = value;
    }
  }
  return out;
}

function asTensors(value: unknown): TensorMetadata[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: TensorMetadata[] = [];
  for (const item of value) {
    if (item === null || typeof item !== 'object') return undefined;
    const { name, datatype, shape } = item as Record<string, unknown>;
    if (typeof name !== 'string' || typeof datatype !== 'string') return undefined;
    if (!Array.isArray(shape) || !shape.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= -1)) return undefined;
    out.push({ name, datatype, shape: [...(shape as number[])] });
  }
  return out;
}
