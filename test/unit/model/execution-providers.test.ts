import { describe, expect, it } from 'vitest';
import { DeviceUnavailableError } from '../../../runtime/model/errors.ts';
import { chooseExecutionProviders, type SupportedBackend } from '../../../runtime/model/execution-providers.ts';

const CPU_ONLY: SupportedBackend[] = [{ name: 'cpu', bundled: true }];
const NPM_LINUX: SupportedBackend[] = [
  { name: 'cpu', bundled: true },
  { name: 'webgpu', bundled: true },
  { name: 'cuda', bundled: false },
  { name: 'tensorrt', bundled: false },
];
const WINDOWS: SupportedBackend[] = [
  { name: 'cpu', bundled: true },
  { name: 'dml', bundled: true },
];

describe('chooseExecutionProviders', () => {
  it('cpu → [cpu]', () => {
    const choice = chooseExecutionProviders({ kind: 'cpu', affinity: 'required', count: 0 }, CPU_ONLY);
    expect(choice).toMatchObject({ providers: ['cpu'], fallback: null, fellBack: false });
  });

  it('nvidia-gpu preferred → [cuda, cpu] with a cpu fallback', () => {
    const choice = chooseExecutionProviders({ kind: 'nvidia-gpu', affinity: 'preferred', count: 1 }, NPM_LINUX);
    expect(choice).toMatchObject({ providers: ['cuda', 'cpu'], fallback: ['cpu'], fellBack: false });
    expect(choice.reason).toContain('not bundled');
  });

  it('nvidia-gpu required → [cuda] only', () => {
    const choice = chooseExecutionProviders({ kind: 'nvidia-gpu', affinity: 'required', count: 1 }, NPM_LINUX);
    expect(choice).toMatchObject({ providers: ['cuda'], fallback: null, fellBack: false });
  });

  it('nvidia-gpu preferred without cuda → [cpu], marked as a fallback', () => {
    const choice = chooseExecutionProviders({ kind: 'nvidia-gpu', affinity: 'preferred', count: 1 }, CPU_ONLY);
    expect(choice).toMatchObject({ providers: ['cpu'], fallback: null, fellBack: true });
    expect(choice.reason).toMatch(/no cuda execution provider.*falling back to cpu/);
  });

  it('nvidia-gpu required without cuda → a DeviceUnavailableError saying what is missing and what to do', () => {
    const call = () => chooseExecutionProviders({ kind: 'nvidia-gpu', affinity: 'required', count: 1 }, CPU_ONLY);
    expect(call).toThrow(DeviceUnavailableError);
    try {
      call();
    } catch (err) {
      const e = err as DeviceUnavailableError;
      expect(e.device).toBe('nvidia-gpu');
      expect(e.status).toBe(503);
      expect(e.message).toContain('device nvidia-gpu is required');
      expect(e.message).toContain('no cuda execution provider');
      expect(e.message).toContain('(it has: cpu)');
      expect(e.message).toContain('ONNXRUNTIME_NODE_INSTALL=cuda12');
      expect(e.message).toContain('"preferred"');
    }
  });

  it('intel-gpu takes the first of openvino, dml, webgpu the build has', () => {
    expect(chooseExecutionProviders({ kind: 'intel-gpu', affinity: 'required', count: 1 }, WINDOWS).providers).toEqual(['dml']);
    expect(chooseExecutionProviders({ kind: 'intel-gpu', affinity: 'preferred', count: 1 }, NPM_LINUX).providers).toEqual(['webgpu', 'cpu']);
    expect(
      chooseExecutionProviders({ kind: 'intel-gpu', affinity: 'required', count: 1 }, [...WINDOWS, { name: 'openvino', bundled: false }])
        .providers,
    ).toEqual(['openvino']);
    expect(() => chooseExecutionProviders({ kind: 'intel-gpu', affinity: 'required', count: 1 }, CPU_ONLY)).toThrow(
      /device intel-gpu is required but this onnxruntime-node build has no openvino\/dml\/webgpu/,
    );
  });

  it('amd-gpu preferred without a provider falls back to cpu', () => {
    const choice = chooseExecutionProviders({ kind: 'amd-gpu', affinity: 'preferred', count: 1 }, CPU_ONLY);
    expect(choice).toMatchObject({ providers: ['cpu'], fellBack: true });
  });
});
