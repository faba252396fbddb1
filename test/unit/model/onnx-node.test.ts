import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transformInput } from '../../../examples/seed/components/features.ts';
import type { LoadedNode } from '../../../runtime/host/types.ts';
import { DeviceUnavailableError, ModelClosedError, ModelInputError, ModelLoadError, loadOnnxNode } from '../../../runtime/model/index.ts';
import { argmax } from '../../../scripts/models/train.ts';
import { irisFeatures, irisLabels } from '../../../scripts/models/iris.ts';
import { trainSeedModels } from '../../../scripts/models/seed-models.ts';
import { FIXTURES_DIR, IRIS_CLASSES, SEED_MODELS_DIR, modelFunction, onnxNode } from './helpers.ts';

const CPU = [{ name: 'cpu', bundled: true }];
/** Whether onnxruntime-node's CUDA provider libraries are installed here (the npm install script skips them). */
const cudaInstalled = existsSync(
  path.join(path.dirname(createRequire(import.meta.url).resolve('onnxruntime-node')), '..', 'bin/napi-v6', `${process.platform}/${process.arch}`, 'libonnxruntime_providers_cuda.so'),
);

async function loadSeed(name: 'good' | 'weak', classNames = IRIS_CLASSES): Promise<LoadedNode> {
  return loadOnnxNode(onnxNode(`${name}-model`, `${name}.onnx`, { classNames }), modelFunction(`${name}-model`), {
    bundleDir: SEED_MODELS_DIR,
  });
}

function rowsOf(answer: { data?: { ndarray?: unknown[] } }): number[][] {
  return answer.data!.ndarray as number[][];
}

describe('loadOnnxNode on the seed models', () => {
  let good: LoadedNode;
  let weak: LoadedNode;
  beforeAll(async () => {
    good = await loadSeed('good');
    weak = await loadSeed('weak');
  });
  afterAll(async () => {
    await good.close?.();
    await weak.close?.();
  });

  it('answers an ndarray request with an ndarray of probabilities, class names and the request\'s meta', async () => {
    const meta = { puid: 'abc', tags: { user: 'x' }, routing: { bandit: 0 } };
    const answer = await good.handlers.predict!({ meta, data: { names: ['a', 'b', 'c', 'd'], ndarray: transformInput([[6.3, 3.3, 6.0, 2.5], [5.1, 3.5, 1.4, 0.2]]) } });
    expect(answer.meta).toEqual(meta);
    expect(answer.data!.names).toEqual(IRIS_CLASSES);
    const rows = rowsOf(answer);
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row).toHaveLength(3);
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    }
    expect(argmax(rows[0]!)).toBe(2); // virginica
    expect(argmax(rows[1]!)).toBe(0); // setosa
  });

  it('answers a tensor request with a tensor', async () => {
    const z = transformInput([[6.3, 3.3, 6.0, 2.5], [5.1, 3.5, 1.4, 0.2], [5.9, 3.0, 4.2, 1.5]]);
    const answer = await good.handlers.predict!({ data: { tensor: { shape: [3, 4], values: z.flat() } } });
    expect(answer.meta).toBeUndefined();
    expect(answer.data!.ndarray).toBeUndefined();
    const tensor = { ...answer.data!.tensor!, values: Array.from(answer.data!.tensor!.values) };
    expect(tensor.shape).toEqual([3, 3]);
    expect(tensor.values).toHaveLength(9);
    for (let i = 0; i < 3; i++) expect(tensor.values.slice(i * 3, i * 3 + 3).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect([0, 1, 2].map((i) => argmax(tensor.values.slice(i * 3, i * 3 + 3)))).toEqual([2, 0, 1]);
  });

  it('agrees with the training accuracy on all 150 samples through onnxruntime', async () => {
    const trained = trainSeedModels().models;
    const z = transformInput(irisFeatures());
    const labels = irisLabels();
    for (const [node, name] of [[good, 'good'], [weak, 'weak']] as const) {
      const rows = rowsOf(await node.handlers.predict!({ data: { ndarray: z } }));
      const acc = rows.filter((row, i) => argmax(row) === labels[i]).length / rows.length;
      expect(acc).toBeCloseTo(trained.find((m) => m.name === name)!.accuracy, 10);
      if (name === 'good') expect(acc).toBeGreaterThanOrEqual(0.9);
    }
  });

  it('serves concurrent requests', async () => {
    const z = transformInput(irisFeatures());
    const answers = await Promise.all(z.map((row) => good.handlers.predict!({ data: { ndarray: [row] } })));
    expect(answers.map((a) => rowsOf(a)[0]).every((r) => r!.length === 3)).toBe(true);
  });

  it('describes its inputs and outputs as V2 metadata', async () => {
    const md = await good.handlers.metadata();
    expect(md).toMatchObject({
      name: 'good-model',
      platform: 'onnxruntime',
      inputs: [{ name: 'features', datatype: 'FP32', shape: [-1, 4] }],
      outputs: [{ name: 'probabilities', datatype: 'FP32', shape: [-1, 3] }],
    });
    expect(md.custom).toMatchObject({ classNames: IRIS_CLASSES, executionProviders: ['cpu'], fellBackToCpu: false });
  });

  it('rejects bad input with a ModelInputError naming the field', async () => {
    const cases: Array<[unknown, string]> = [
      [{ data: { ndarray: [[1, 2, 3]] } }, 'data.ndarray[0]'],
      [{ data: { ndarray: [[1, 2, 3, 4], [1, 2, 3, 'x']] } }, 'data.ndarray[1][3]'],
      [{ data: { ndarray: [[1, 2, 3, 4], [1, 2, 3, 4, 5]] } }, 'data.ndarray[1]'],
      [{ data: { tensor: { shape: [1, 5], values: [1, 2, 3, 4, 5] } } }, 'data.tensor.shape[1]'],
      [{ strData: 'hello' }, 'strData'],
    ];
    for (const [message, field] of cases) {
      const err = await good.handlers.predict!(message as never).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err, field).toBeInstanceOf(ModelInputError);
      expect((err as ModelInputError).field).toBe(field);
      expect((err as ModelInputError).status).toBe(400);
    }
  });

  it('accepts feedback', async () => {
    const answer = await good.handlers.sendFeedback!({ request: { meta: { puid: 'p1' } }, reward: 1 });
    expect(answer.status?.status).toBe('SUCCESS');
    expect(answer.meta).toEqual({ puid: 'p1' });
  });
});

describe('loadOnnxNode options and errors', () => {
  it('uses t:0, t:1, … without class names and honours the plan\'s session options', async () => {
    const node = onnxNode('id', 'identity.onnx', { session: { graphOptimizationLevel: 'disabled', intraOpNumThreads: 2, interOpNumThreads: 1 } });
    const loaded = await loadOnnxNode(node, modelFunction('id'), { bundleDir: FIXTURES_DIR });
    const answer = await loaded.handlers.predict!({ data: { ndarray: [[1, 2, 3, 4.5]] } });
    expect(answer.data).toEqual({ names: ['t:0', 't:1', 't:2', 't:3'], ndarray: [[1, 2, 3, 4.5]] });
    await loaded.close!();
  });

  it('feeds the plan\'s input name and checks it exists', async () => {
    const fn = modelFunction('id');
    const ok = await loadOnnxNode(onnxNode('id', 'identity.onnx', { inputNames: ['input'], outputNames: ['output'] }), fn, { bundleDir: FIXTURES_DIR });
    await ok.close!();
    await expect(loadOnnxNode(onnxNode('id', 'identity.onnx', { inputNames: ['nope'] }), fn, { bundleDir: FIXTURES_DIR })).rejects.toThrow(
      /no input "nope" \(it has: input\)/,
    );
    await expect(loadOnnxNode(onnxNode('id', 'identity.onnx', { outputNames: ['nope'] }), fn, { bundleDir: FIXTURES_DIR })).rejects.toThrow(
      ModelLoadError,
    );
  });

  it('checks a fixed batch dimension', async () => {
    const loaded = await loadOnnxNode(onnxNode('fb', 'fixed-batch.onnx'), modelFunction('fb'), { bundleDir: FIXTURES_DIR });
    const answer = await loaded.handlers.predict!({ data: { ndarray: [[0, 0, 0, 0], [1, 1, 1, 1]] } });
    expect(rowsOf(answer)[0]![0]).toBeCloseTo(1 / 3, 6);
    await expect(loaded.handlers.predict!({ data: { ndarray: [[0, 0, 0, 0]] } })).rejects.toMatchObject({ field: 'data.ndarray' });
    expect((await loaded.handlers.metadata()).inputs[0]!.shape).toEqual([2, 4]);
    await loaded.close!();
  });

  it.each([50, 0])('batches concurrent requests (onnx.batcher, maxLatency %i ms) and answers each what it answers alone', async (maxLatencyMs) => {
    const batched = await loadOnnxNode(onnxNode('good-model', 'good.onnx', { classNames: IRIS_CLASSES, batcher: { maxBatchSize: 8, maxLatencyMs } }), modelFunction('good-model'), { bundleDir: SEED_MODELS_DIR });
    const good = await loadSeed('good');
    const counted = { runs: 0, requests: 0 };
    batched.setMetricsSink!((metrics) => {
      for (const m of metrics) {
        if (m.key === 'switchyard_model_batch_runs_total') counted.runs += m.value;
        if (m.key === 'switchyard_model_batch_requests_total') counted.requests += m.value;
      }
    });
    try {
      const rows = transformInput(irisFeatures()).slice(0, 20);
      const alone = await Promise.all(rows.map((row) => good.handlers.predict!({ data: { ndarray: [row] } })));
      const together = await Promise.all(rows.map((row, i) => batched.handlers.predict!({ data: i % 2 === 0 ? { ndarray: [row] } : { tensor: { shape: [1, 4], values: row } }, meta: { puid: `p${i}` } })));
      together.forEach((answer, i) => {
        const values = i % 2 === 0 ? rowsOf(answer)[0]! : (answer.data!.tensor!.values as number[]);
        values.forEach((v, k) => expect(v).toBeCloseTo(rowsOf(alone[i]!)[0]![k]!, 6));
        expect(answer.meta).toEqual({ puid: `p${i}` });
      });
      // Twenty requests at once, at most 8 a run: fewer runs than requests.
      expect(counted.requests).toBe(20);
      expect(counted.runs).toBeLessThan(20);
      expect(counted.runs).toBeGreaterThanOrEqual(3);
      // A bad request among them fails alone.
      const mixed = await Promise.allSettled([batched.handlers.predict!({ data: { ndarray: [rows[0]!] } }), batched.handlers.predict!({ data: { ndarray: [[1, 2, 3]] } })]);
      expect(mixed[0]!.status).toBe('fulfilled');
      expect(mixed[1]).toMatchObject({ status: 'rejected', reason: { field: 'data.ndarray[0]' } });
    } finally {
      await batched.close!();
      await good.close!();
    }
  });

  it('refuses onnx.batcher for a model whose first dimension is fixed', async () => {
    await expect(loadOnnxNode(onnxNode('fb', 'fixed-batch.onnx', { batcher: { maxBatchSize: 4, maxLatencyMs: 5 } }), modelFunction('fb'), { bundleDir: FIXTURES_DIR })).rejects.toThrow(
      /onnx\.batcher joins requests along the input's first dimension, but "\w+" has it fixed at 2; export the model with a dynamic first \(batch\) dimension, or remove onnx\.batcher/,
    );
  });

  it('rejects class names that do not fit the output', async () => {
    await expect(loadSeed('good', ['a', 'b'])).rejects.toThrow(/2 classNames \(a, b\) but output "probabilities" has 3 columns/);
  });

  it('reports a missing model file', async () => {
    await expect(loadOnnxNode(onnxNode('m', 'missing.onnx'), modelFunction('m'), { bundleDir: FIXTURES_DIR })).rejects.toThrow(
      /node "m": model file .*missing\.onnx not found/,
    );
  });

  it('refuses a component node', async () => {
    const node = { ...onnxNode('c', 'x.onnx'), implementation: { kind: 'component' as const, module: 'x.ts', methods: [], parameters: {} } };
    await expect(loadOnnxNode(node, modelFunction('c'), { bundleDir: FIXTURES_DIR })).rejects.toThrow(/not an ONNX model/);
  });

  it('answers 503 once closed', async () => {
    const loaded = await loadSeed('good');
    await loaded.close!();
    await loaded.close!();
    expect(await loaded.handlers.health!()).toBe(false);
    await expect(loaded.handlers.predict!({ data: { ndarray: [[0, 0, 0, 0]] } })).rejects.toBeInstanceOf(ModelClosedError);
  });
});

describe('loadOnnxNode device policy', () => {
  const node = onnxNode('always', 'always-virginica.onnx');

  it('falls back to cpu when a preferred device is absent from the build', async () => {
    const logs: string[] = [];
    const loaded = await loadOnnxNode(node, modelFunction('always', { kind: 'nvidia-gpu', affinity: 'preferred', count: 1 }), {
      bundleDir: FIXTURES_DIR,
      supportedBackends: CPU,
      log: (m) => logs.push(m),
    });
    expect((await loaded.handlers.metadata()).custom).toMatchObject({ executionProviders: ['cpu'], fellBackToCpu: true, device: 'nvidia-gpu' });
    expect(logs.join('\n')).toContain('falling back to cpu');
    expect(argmax(rowsOf(await loaded.handlers.predict!({ data: { ndarray: [[1, 2, 3, 4]] } }))[0]!)).toBe(2);
    await loaded.close!();
  });

  it.skipIf(cudaInstalled)('falls back to cpu when the CUDA provider is listed but its libraries are not installed', async () => {
    const logs: string[] = [];
    const loaded = await loadOnnxNode(node, modelFunction('always', { kind: 'nvidia-gpu', affinity: 'preferred', count: 1 }), {
      bundleDir: FIXTURES_DIR,
      supportedBackends: [...CPU, { name: 'cuda', bundled: false }],
      log: (m) => logs.push(m),
    });
    expect((await loaded.handlers.metadata()).custom).toMatchObject({ executionProviders: ['cpu'], fellBackToCpu: true });
    expect(logs.join('\n')).toMatch(/cuda execution provider failed .*falling back to cpu/);
    await loaded.close!();
  });

  it.skipIf(cudaInstalled)('fails with DeviceUnavailableError when a required CUDA provider cannot start', async () => {
    const err = await loadOnnxNode(node, modelFunction('always', { kind: 'nvidia-gpu', affinity: 'required', count: 1 }), {
      bundleDir: FIXTURES_DIR,
      supportedBackends: [...CPU, { name: 'cuda', bundled: false }],
    }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err).toBeInstanceOf(DeviceUnavailableError);
    expect(err!.message).toMatch(/device nvidia-gpu is required but the cuda execution provider failed to start/);
    expect(err!.message).toContain('"preferred"');
  });

  it('fails with DeviceUnavailableError when a required device is absent from the build', async () => {
    const required = modelFunction('always', { kind: 'intel-gpu', affinity: 'required', count: 1 });
    await expect(loadOnnxNode(node, required, { bundleDir: FIXTURES_DIR, supportedBackends: CPU })).rejects.toThrow(
      /device intel-gpu is required but this onnxruntime-node build has no openvino\/dml\/webgpu execution provider/,
    );
  });
});
