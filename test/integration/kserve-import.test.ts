/**
 * A KServe InferenceGraph imported with the real CLI and served: its steps are KServe V1 predictors (an HTTP server
 * here that speaks the protocol: `double` and `plus-one`, named by their serviceUrl) and a Sequence chains them.
 * The answers show the chain really passes each step's predictions to the next. A Switch over the same
 * predictors, called as a KServe client calls it (V1 `:predict`), picks its step by the request's fields.
 */
import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGraph, type RunningGraph } from '../helpers/graph-engine.ts';

const run = promisify(execFile);
const CLI = path.resolve('bin/switchyard.mjs');

describe('switchyard import (KServe InferenceGraph), served', () => {
  let predictor: http.Server;
  let graph: RunningGraph | undefined;
  let dir: string;
  const calls: string[] = [];
  beforeAll(async () => {
    predictor = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        calls.push(req.url ?? '');
        const instances = JSON.parse(Buffer.concat(chunks).toString()).instances as number[][];
        const step = req.url === '/v1/models/double:predict' ? (v: number) => v * 2 : (v: number) => v + 1;
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ predictions: instances.map((row) => row.map(step)) }));
      });
    });
    await new Promise<void>((resolve) => predictor.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(predictor.address() as AddressInfo).port}`;
    dir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-kserve-import-'));
    await writeFile(
      path.join(dir, 'ig.yaml'),
      `apiVersion: serving.kserve.io/v1alpha1
kind: InferenceGraph
metadata: { name: chained }
spec:
  nodes:
    root:
      routerType: Sequence
      steps:
        - { name: first, serviceUrl: "${base}/v1/models/double:predict" }
        - { name: second, serviceUrl: "${base}/v1/models/plus-one:predict", data: $response }
`,
    );
  });
  afterAll(async () => {
    await graph?.stop();
    await new Promise((resolve) => predictor?.close(resolve));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Imports an InferenceGraph whose root node is `routerType` over `steps` (YAML lines) with the CLI, and serves it. */
  const importAndServe = async (name: string, routerType: string, steps: string[]) => {
    await writeFile(path.join(dir, `${name}.yaml`), `apiVersion: serving.kserve.io/v1alpha1
kind: InferenceGraph
metadata: { name: ${name} }
spec:
  nodes:
    root:
      routerType: ${routerType}
      steps:
${steps.map((step) => `        - ${step}`).join('\n')}
`);
    const out = path.join(dir, `${name}-graph.yaml`);
    const { stderr } = await run(process.execPath, [CLI, 'import', path.join(dir, `${name}.yaml`), '-o', out]);
    expect(stderr).toContain(`✔ wrote ${out}: graph "${name}"`);
    return startGraph(out);
  };
  const predictorUrl = (model: string) => `http://127.0.0.1:${(predictor.address() as AddressInfo).port}/v1/models/${model}:predict`;

  it('routes by a Switch\'s conditions on the request\'s fields, for a V1 client', async () => {
    const picker = await importAndServe('picker', 'Switch', [
      `{ name: doubled, serviceUrl: "${predictorUrl('double')}", condition: '[@this].#(decision_picker=="double")' }`,
      `{ name: big, serviceUrl: "${predictorUrl('plus-one')}", condition: "[@this].#(instances.0.0>=100)" }`,
    ]);
    try {
      const doubled = await picker.post('/v1/models/picker:predict', { instances: [[1, 2]], decision_picker: 'double' });
      expect(doubled.status, JSON.stringify(doubled.body)).toBe(200);
      expect(doubled.body).toEqual({ predictions: [[2, 4]] });
      const big = await picker.post('/v1/models/picker:predict', { instances: [[100, 2]] });
      expect(big.body).toEqual({ predictions: [[101, 3]] });
      // KServe answers 404 when nothing matches; here it is a 400 that names the router.
      const none = await picker.post('/v1/models/picker:predict', { instances: [[1, 2]] });
      expect(none.status).toBe(400);
      expect(none.body.error).toMatch(/router "root"/);
    } finally {
      await picker.stop();
    }
  });

  it('answers an Ensemble with the map of its steps\' answers, as KServe does', async () => {
    const both = await importAndServe('both', 'Ensemble', [`{ name: doubled, serviceUrl: "${predictorUrl('double')}" }`, `{ name: plus, serviceUrl: "${predictorUrl('plus-one')}" }`]);
    try {
      const v1 = await both.post('/v1/models/both:predict', { instances: [[1, 2]] });
      expect(v1.status, JSON.stringify(v1.body)).toBe(200);
      expect(v1.body).toEqual({ doubled: { predictions: [[2, 4]] }, plus: { predictions: [[2, 3]] } });
      const seldon = await both.post('/api/v1.0/predictions', { data: { ndarray: [[1, 2]] } });
      expect(seldon.body.jsonData).toEqual(v1.body);
    } finally {
      await both.stop();
    }
  });

  it("chains the steps: the second gets the first one's predictions", async () => {
    calls.length = 0;
    const out = path.join(dir, 'graph.yaml');
    const { stderr } = await run(process.execPath, [CLI, 'import', path.join(dir, 'ig.yaml'), '-o', out]);
    expect(stderr).toContain(`✔ wrote ${out}: graph "chained" with 2 nodes`);
    graph = await startGraph(out);
    const { status, body } = await graph.post('/api/v1.0/predictions', { data: { ndarray: [[1, 2], [3, 4]] } });
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.data.ndarray).toEqual([[3, 5], [7, 9]]);
    expect(Object.keys(body.meta.requestPath)).toEqual(['first', 'second']);
    expect(calls).toEqual(['/v1/models/double:predict', '/v1/models/plus-one:predict']);
  });
});
