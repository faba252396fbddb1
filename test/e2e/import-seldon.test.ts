/**
 * `switchyard import` as a user moving from Seldon Core or KServe runs it: a SeldonDeployment whose model server already runs
 * (here a real local engine serving the iris model, standing in for the unit's Service), imported into a graph
 * file with the real CLI, then served: predictions go to the running server and come back through the graph.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGraph, type RunningGraph } from '../helpers/graph-engine.ts';

const run = promisify(execFile);
const CLI = path.resolve('bin/switchyard.mjs');
const ROW = [-0.9, 1.0, -1.3, -1.3];

describe('switchyard import (SeldonDeployment)', () => {
  let server: RunningGraph;
  let imported: RunningGraph | undefined;
  let dir: string;
  beforeAll(async () => {
    server = await startGraph(path.resolve('test/fixtures/engine/iris-server.yaml'));
    dir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-import-'));
    const { port } = new URL(server.url);
    await writeFile(
      path.join(dir, 'sdep.yaml'),
      `apiVersion: machinelearning.seldon.io/v1
kind: SeldonDeployment
metadata: { name: iris-app, namespace: models }
spec:
  protocol: v2
  predictors:
  - name: default
    graph:
      name: iris
      implementation: SKLEARN_SERVER
      modelUri: gs://seldon-models/sklearn/iris
      endpoint: { service_host: 127.0.0.1, service_port: ${port} }
`,
    );
  });
  afterAll(async () => {
    await imported?.stop();
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes a valid graph file, says what to check, and the graph serves predictions from the running server', async () => {
    const out = path.join(dir, 'graph.yaml');
    const { stderr } = await run(process.execPath, [CLI, 'import', path.join(dir, 'sdep.yaml'), '-o', out]);
    expect(stderr).toContain(`✔ wrote ${out}: graph "iris-app" with 1 node`);
    expect(stderr).toContain('note: iris: its model (gs://seldon-models/sklearn/iris) stays where the server loads it from');
    const text = await readFile(out, 'utf8');
    expect(text).toMatch(/^# Imported from the SeldonDeployment "iris-app"/);
    await run(process.execPath, [CLI, 'validate', out]);

    imported = await startGraph(out);
    const direct = await server.post('/_fn/good-model/predict', { data: { ndarray: [ROW] } });
    const { status, body } = await imported.post('/api/v1.0/predictions', { data: { ndarray: [ROW] } });
    expect(status, JSON.stringify(body)).toBe(200);
    (body.data.ndarray[0] as number[]).forEach((v, k) => expect(v).toBeCloseTo(direct.body.data.ndarray[0][k], 5));
    expect(body.meta.requestPath).toEqual({ iris: 'iris' });
  });

  it('says why when the file holds nothing to import, and writes nothing', async () => {
    await writeFile(path.join(dir, 'deployment.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: x }\n');
    const failed = await run(process.execPath, [CLI, 'import', path.join(dir, 'deployment.yaml')]).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toContain('nothing to import in it (kinds: "Deployment"); switchyard import reads Seldon Core\'s SeldonDeployment and KServe\'s InferenceService and InferenceGraph');
  });

  it('imports a KServe InferenceService, printing the graph when no -o is given', async () => {
    const { stdout } = await run(process.execPath, [CLI, 'import', path.resolve('test/fixtures/kserve/isvc.yaml')]);
    expect(stdout).toMatch(/^# Imported from the InferenceService "sklearn-iris"/);
    expect(stdout).toContain('protocol: v2');
  });
});
