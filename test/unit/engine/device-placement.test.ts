import { describe, expect, it } from 'vitest';
import { planDevices } from '../../../runtime/engine/local/device-placement.ts';
import type { DeviceInventory } from '../../../runtime/engine/local/devices.ts';
import type { DevicePolicy, PlanFunction } from '../../../runtime/plan/types.ts';

const fn = (name: string, device: DevicePolicy) => ({ name, device }) as PlanFunction;
const gpus = (nvidia: number, intel = 0): DeviceInventory => ({ gpus: { 'nvidia-gpu': nvidia, 'intel-gpu': intel, 'amd-gpu': 0 }, source: 'declared with --devices' });
const CPU: DevicePolicy = { kind: 'cpu', affinity: 'required', count: 0 };
const nvidia = (affinity: 'required' | 'preferred', count = 1): DevicePolicy => ({ kind: 'nvidia-gpu', affinity, count });

describe('planDevices', () => {
  it('places nothing for CPU functions', () => {
    expect(planDevices([fn('orchestrator', CPU)], gpus(2))).toEqual({ problems: [], notes: [], placements: new Map() });
  });

  it('hands out GPUs round-robin over replicas, each function starting where the last one stopped', () => {
    const plan = planDevices([fn('a', nvidia('required')), fn('orchestrator', CPU), fn('b', nvidia('preferred'))], gpus(2));
    const a = plan.placements.get('a')!;
    const b = plan.placements.get('b')!;
    expect([1, 2, 3].map((id) => a(id).env)).toEqual([{ CUDA_VISIBLE_DEVICES: '0' }, { CUDA_VISIBLE_DEVICES: '1' }, { CUDA_VISIBLE_DEVICES: '0' }]);
    expect([1, 2].map((id) => b(id).label)).toEqual(['nvidia-gpu 1', 'nvidia-gpu 0']);
    expect(plan.problems).toEqual([]);
  });

  it('gives each replica device.count GPUs', () => {
    const place = planDevices([fn('big', nvidia('required', 2))], gpus(3)).placements.get('big')!;
    expect([1, 2].map((id) => place(id).env['CUDA_VISIBLE_DEVICES'])).toEqual(['0,1', '2,0']);
  });

  it('uses each kind\'s own visibility variable', () => {
    const plan = planDevices([fn('i', { kind: 'intel-gpu', affinity: 'required', count: 1 })], gpus(0, 1));
    expect(plan.placements.get('i')!(1).env).toEqual({ ZE_AFFINITY_MASK: '0' });
  });

  it('refuses a required GPU the machine lacks, saying what to do', () => {
    const plan = planDevices([fn('model', nvidia('required')), fn('big', nvidia('required', 4))], gpus(0));
    expect(plan.problems).toEqual([
      'function "model" requires nvidia-gpu, but this machine has no nvidia-gpu (declared with --devices). To fix: run it on a machine with one; set the node\'s device affinity to "preferred" to fall back to CPU; or, if this machine has one that was not detected, declare it with --devices nvidia-gpu=N.',
      expect.stringContaining('function "big" requires nvidia-gpu, but this machine has no nvidia-gpu'),
    ]);
    expect(planDevices([fn('big', nvidia('required', 4))], gpus(2)).problems).toEqual([expect.stringContaining('each replica needs 4 and this machine has 2')]);
  });

  it('runs a preferred GPU function on the CPU where there is none, and says so', () => {
    const plan = planDevices([fn('model', nvidia('preferred'))], gpus(0));
    expect(plan).toEqual({ problems: [], notes: ['function "model" prefers nvidia-gpu, but this machine has no nvidia-gpu (declared with --devices): it runs on the CPU'], placements: new Map() });
  });
});
