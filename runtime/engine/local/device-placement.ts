/**
 * @module Where each replica of each function runs: the local engine's device placement.
 *
 * A function on a GPU kind this machine has gets `device.count` GPUs per replica, handed out round-robin so that
 * replicas, and the functions on the same kind, spread over the GPUs (several replicas may share one, as
 * processes share a GPU). The replica sees only its GPUs, through its runtime's visibility variable
 * (`CUDA_VISIBLE_DEVICES` for NVIDIA, `HIP_VISIBLE_DEVICES` for AMD, `ZE_AFFINITY_MASK` for Intel), so its
 * execution provider's device 0 is the one placed.
 *
 * A function that requires a GPU kind the machine lacks (or more GPUs per replica than it has) is a problem: the
 * engine does not start, and says what to do. One that prefers it runs on the CPU, which is said once.
 */
import type { PlanFunction } from '../../plan/types.ts';
import type { DeviceInventory, GpuKind } from './devices.ts';

export interface ReplicaPlacement {
  env: Record<string, string>;
  /** `nvidia-gpu 1`, `nvidia-gpu 0,1`: for the log line of a replica that starts. */
  label: string;
}

export interface DevicePlan {
  /** Required devices this machine lacks, one message per function. */
  problems: string[];
  /** Preferred devices this machine lacks: those functions run on the CPU. */
  notes: string[];
  /** For each function placed on GPUs: the placement of its replica `id` (1, 2, …). */
  placements: Map<string, (id: number) => ReplicaPlacement>;
}

export const VISIBLE_DEVICES_ENV: Readonly<Record<GpuKind, string>> = {
  'nvidia-gpu': 'CUDA_VISIBLE_DEVICES',
  'amd-gpu': 'HIP_VISIBLE_DEVICES',
  'intel-gpu': 'ZE_AFFINITY_MASK',
};

export function planDevices(functions: readonly PlanFunction[], inventory: DeviceInventory): DevicePlan {
  const plan: DevicePlan = { problems: [], notes: [], placements: new Map() };
  /** The next GPU index to hand out, per kind: functions start where the previous one stopped. */
  const next: Record<GpuKind, number> = { 'nvidia-gpu': 0, 'intel-gpu': 0, 'amd-gpu': 0 };
  for (const fn of functions) {
    const { kind, affinity } = fn.device;
    if (kind === 'cpu') continue;
    const have = inventory.gpus[kind];
    const per = Math.max(1, fn.device.count);
    if (have < per) {
      const what = have === 0 ? `this machine has no ${kind} (${inventory.source})` : `each replica needs ${per} and this machine has ${have} (${inventory.source})`;
      if (affinity === 'required') {
        plan.problems.push(
          `function "${fn.name}" requires ${kind}, but ${what}. ` +
            `To fix: run it on a machine with one; set the node's device affinity to "preferred" to fall back to CPU; ` +
            `or, if this machine has one that was not detected, declare it with --devices ${kind}=N.`,
        );
      } else {
        plan.notes.push(`function "${fn.name}" prefers ${kind}, but ${what}: it runs on the CPU`);
      }
      continue;
    }
    const first = next[kind];
    next[kind] = (first + per) % have;
    const variable = VISIBLE_DEVICES_ENV[kind];
    plan.placements.set(fn.name, (id) => {
      const start = first + (id - 1) * per;
      const gpus = Array.from({ length: per }, (_, i) => (start + i) % have).join(',');
      return { env: { [variable]: gpus }, label: `${kind} ${gpus}` };
    });
  }
  return plan;
}
