/** @module A function's device: the node's `device`, else `spec.defaults.device`, else the CPU. */
import type { DevicePolicy } from '../../runtime/plan/types.ts';
import type { DeviceSpec } from '../spec/index.ts';
import { DEFAULT_DEVICE, DEFAULT_GPU_AFFINITY, DEFAULT_GPU_COUNT } from './defaults.ts';

/** Expands the shorthand (`nvidia-gpu`) and fills in affinity and count. */
export function resolveDevice(node: DeviceSpec | undefined, defaults?: DeviceSpec): DevicePolicy {
  const spec = node ?? defaults;
  if (spec === undefined) return { ...DEFAULT_DEVICE };
  const { kind, affinity, count } = typeof spec === 'string' ? { kind: spec, affinity: undefined, count: undefined } : spec;
  if (kind === 'cpu') return { kind, affinity: affinity ?? DEFAULT_DEVICE.affinity, count: 0 };
  return { kind, affinity: affinity ?? DEFAULT_GPU_AFFINITY, count: count ?? DEFAULT_GPU_COUNT };
}
