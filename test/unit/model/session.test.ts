import type { InferenceSession } from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { DeviceUnavailableError, ModelLoadError } from '../../../runtime/model/errors.ts';
import { createOnnxSession, toOrtSessionOptions } from '../../../runtime/model/session.ts';
import type { DevicePolicy, OnnxSessionOptions } from '../../../runtime/plan/types.ts';
import { FIXTURES_DIR } from './helpers.ts';

const MODEL = `${FIXTURES_DIR}/identity.onnx`;
const SESSION: OnnxSessionOptions = { graphOptimizationLevel: 'basic', intraOpNumThreads: 2, interOpNumThreads: 1 };
const BACKENDS = [
  { name: 'cpu', bundled: true },
  { name: 'cuda', bundled: false },
];

/** A fake session factory: records the options, fails for the providers in `failing`, or always with `fail`. */
function fakeCreate(failing: string[], fail?: string) {
  const calls: InferenceSession.SessionOptions[] = [];
  const create = async (_path: string, options: InferenceSession.SessionOptions) => {
    calls.push(options);
    if (fail) throw new Error(fail);
    const bad = (options.executionProviders ?? []).find((p) => failing.includes(p as string));
    if (bad) throw new Error(`${bad}: Failed to load shared library`);
    return { release: async () => {} } as unknown as InferenceSession;
  };
  return { calls, create };
}

const gpu = (affinity: DevicePolicy['affinity']): DevicePolicy => ({ kind: 'nvidia-gpu', affinity, count: 1 });

describe('createOnnxSession', () => {
  it('passes the plan\'s session options and providers', async () => {
    expect(toOrtSessionOptions(SESSION, ['cpu'])).toEqual({
      executionProviders: ['cpu'],
      graphOptimizationLevel: 'basic',
      intraOpNumThreads: 2,
      interOpNumThreads: 1,
      executionMode: 'sequential',
    });
    const fake = fakeCreate([]);
    const created = await createOnnxSession(MODEL, SESSION, gpu('preferred'), { supportedBackends: BACKENDS, createSession: fake.create });
    expect(created).toMatchObject({ executionProviders: ['cuda', 'cpu'], fellBack: false });
    expect(fake.calls.map((c) => c.executionProviders)).toEqual([['cuda', 'cpu']]);
  });

  it('retries on cpu when a preferred device fails to start', async () => {
    const fake = fakeCreate(['cuda']);
    const logs: string[] = [];
    const created = await createOnnxSession(MODEL, SESSION, gpu('preferred'), {
      supportedBackends: BACKENDS,
      createSession: fake.create,
      log: (m) => logs.push(m),
    });
    expect(created).toMatchObject({ executionProviders: ['cpu'], fellBack: true });
    expect(fake.calls.map((c) => c.executionProviders)).toEqual([['cuda', 'cpu'], ['cpu']]);
    expect(logs[1]).toContain('the cuda execution provider failed (cuda: Failed to load shared library); falling back to cpu');
    expect(logs[1]).toContain('To run on nvidia-gpu: install the CUDA execution provider (`npm ci --onnxruntime-node-install=cuda12`');
  });

  it('throws DeviceUnavailableError when a required device fails to start but the model loads on cpu', async () => {
    const fake = fakeCreate(['cuda']);
    const err = await createOnnxSession(MODEL, SESSION, gpu('required'), { supportedBackends: BACKENDS, createSession: fake.create }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DeviceUnavailableError);
    expect((err as Error).message).toContain('device nvidia-gpu is required but the cuda execution provider failed to start');
  });

  it('throws ModelLoadError when the model itself does not load', async () => {
    const fake = fakeCreate([], 'Protobuf parsing failed');
    for (const device of [gpu('required'), gpu('preferred'), { kind: 'cpu', affinity: 'required', count: 0 } as const]) {
      const err = await createOnnxSession(MODEL, SESSION, device, { supportedBackends: BACKENDS, createSession: fake.create }).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ModelLoadError);
      expect((err as Error).message).toContain('Protobuf parsing failed');
    }
  });

  it('reports a corrupt model file from onnxruntime as ModelLoadError', async () => {
    const err = await createOnnxSession(`${FIXTURES_DIR}/fixture-models.ts`, SESSION, { kind: 'cpu', affinity: 'required', count: 0 }, {
      supportedBackends: BACKENDS,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelLoadError);
    expect((err as Error).message).toMatch(/cannot load .*fixture-models\.ts/);
  });
});
