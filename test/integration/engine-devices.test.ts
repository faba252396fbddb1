/**
 * Device placement on the local engine, with real function processes: each replica of a GPU function sees only the
 * GPU it was given (read from the process's own environment in /proc), a required GPU this machine lacks stops the
 * engine before it starts anything, and a preferred one runs on the CPU. The inventory is declared (this machine
 * has no GPU), as `switchyard up --devices` declares it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDevices } from '../../runtime/engine/local/devices.ts';
import { eventually, startGraph, type RunningGraph } from '../helpers/graph-engine.ts';

const GPU_GRAPH = path.resolve('test/fixtures/engine/gpu.yaml');

/** A process's environment variable, as the kernel holds it. */
function envOf(pid: number, name: string): string | undefined {
  const entries = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
  return entries.find((entry) => entry.startsWith(`${name}=`))?.slice(name.length + 1);
}

describe.skipIf(process.platform !== 'linux')('device placement on the local engine', () => {
  let graph: RunningGraph | undefined;
  afterAll(async () => graph?.stop());

  it('gives each replica its own GPU of two, and says where it started', async () => {
    graph = await startGraph(GPU_GRAPH, { engine: { devices: parseDevices('nvidia-gpu=2') } });
    await eventually('two ready replicas', () => graph!.engine.status().functions.find((f) => f.function === 'on-gpu')?.ready === 2);
    const replicas = graph.engine.status().functions.find((f) => f.function === 'on-gpu')!.replicas;
    expect(replicas.map((r) => envOf(r.pid!, 'CUDA_VISIBLE_DEVICES')).sort()).toEqual(['0', '1']);
    // `switchyard status --json` says which GPU each replica is on, and it is the one it sees.
    for (const r of replicas) expect(r.devices).toBe(`nvidia-gpu ${envOf(r.pid!, 'CUDA_VISIBLE_DEVICES')}`);
    // The orchestrator runs on the CPU and sees no such variable from the engine.
    const orchestrator = graph.engine.status().functions.find((f) => f.function === 'orchestrator')!.replicas;
    for (const r of orchestrator) expect(envOf(r.pid!, 'CUDA_VISIBLE_DEVICES')).toBe(process.env['CUDA_VISIBLE_DEVICES']);
    expect(graph.logs).toContain('devices: nvidia-gpu ×2 (declared with --devices)');
    expect(graph.logs.filter((line) => /^on-gpu: replica \d starting on nvidia-gpu [01]/.test(line))).toHaveLength(2);
    const { status } = await graph.post('/api/v1.0/predictions', { data: { ndarray: [[0]] } });
    expect(status).toBe(200);
  });

  it('does not start when a required GPU is missing, and says what to do', async () => {
    await expect(startGraph(GPU_GRAPH, { engine: { devices: parseDevices('none') } })).rejects.toThrow(
      'function "on-gpu" requires nvidia-gpu, but this machine has no nvidia-gpu (declared with --devices). To fix: run it on a machine with one; set the node\'s device affinity to "preferred" to fall back to CPU; or, if this machine has one that was not detected, declare it with --devices nvidia-gpu=N.',
    );
  });

  it('runs a preferred GPU function on the CPU where there is none, and says so', async () => {
    const preferred = await startGraph(path.resolve('test/fixtures/engine/gpu-preferred.yaml'), { engine: { devices: parseDevices('none') } });
    try {
      expect(preferred.logs).toContain('function "on-gpu" prefers nvidia-gpu, but this machine has no nvidia-gpu (declared with --devices): it runs on the CPU');
      expect((await preferred.post('/api/v1.0/predictions', { data: { ndarray: [[0]] } })).status).toBe(200);
      const replicas = preferred.engine.status().functions.find((f) => f.function === 'on-gpu')!.replicas;
      for (const r of replicas) expect(envOf(r.pid!, 'CUDA_VISIBLE_DEVICES')).toBe(process.env['CUDA_VISIBLE_DEVICES']);
    } finally {
      await preferred.stop();
    }
  });
});
