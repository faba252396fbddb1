/**
 * An .onnx file where a graph file goes, as a KServe user deploys one model: `switchyard validate` and `up` take
 * it as a graph of one fused MODEL node named after the file, served over both protocols.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { singleModelGraph } from '../../compiler/spec/index.ts';
import { up, type Up } from '../helpers/switchyard-up.ts';

const run = promisify(execFile);
const CLI = path.resolve('bin/switchyard.mjs');
const ROW = [-0.9, 1.0, -1.3, -1.3];

describe('a model file as a graph', () => {
  let dir: string;
  let model: string;
  let running: Up | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-one-model-'));
    model = path.join(dir, 'Iris_Classifier.onnx');
    await copyFile('examples/seed/models/good.onnx', model);
  });
  afterAll(async () => {
    await running?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('names the graph after the file, with one fused node', async () => {
    const { stdout } = await run(process.execPath, [CLI, 'validate', model]);
    expect(stdout).toContain('graph "iris-classifier" is valid (1 node, 1 function)');
    expect(singleModelGraph('/models/3D Net.onnx')).toMatchObject({ metadata: { name: 'model-3d-net' }, spec: { root: 'model', fusion: 'auto' } });
  });

  it('is served by switchyard up over the Open Inference Protocol and Seldon\'s', async () => {
    running = await up(model, path.join(dir, 'build'), ['--state', 'memory']);
    const post = async (route: string, body: unknown) => {
      const response = await fetch(`${running!.url}${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: response.status, body: (await response.json()) as any };
    };
    const v2 = await post('/v2/models/iris-classifier/infer', { inputs: [{ name: 'features', shape: [1, 4], datatype: 'FP32', data: ROW }] });
    expect(v2.status, JSON.stringify(v2.body)).toBe(200);
    expect(v2.body.outputs[0].shape).toEqual([1, 3]);
    const seldon = await post('/api/v1.0/predictions', { data: { ndarray: [ROW] } });
    expect(seldon.status).toBe(200);
    (seldon.body.data.ndarray[0] as number[]).forEach((v, k) => expect(v).toBeCloseTo(v2.body.outputs[0].data[k], 5));
    expect(seldon.body.meta.requestPath).toEqual({ model: 'orchestrator' });
  });
});
