/**
 * Models on a PersistentVolumeClaim (`onnx.path: pvc://<claim>/<path>`, KServe's storageUri for a model already on
 * a volume): compiled without a copy; on Kubernetes the model function's pod mounts the claim read-only and the
 * function reads the file there. Tested by compiling a real graph, rendering its manifests (checked against the
 * Knative CRD) and running the compiled model function as a process with a directory standing in for the mount
 * (`SWITCHYARD_CLAIMS_DIR`); `switchyard up` refuses such a graph, saying what to write instead.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGraph } from '../../compiler/cli/build-graph.ts';
import { compileCommand } from '../../compiler/cli/commands/compile.ts';
import { renderManifests, type KnativeService } from '../../compiler/render/index.ts';
import { startLocalEngine } from '../../runtime/engine/local/engine.ts';
import type { DeploymentPlan } from '../../runtime/plan/types.ts';
import { knativeServiceValidator } from '../helpers/knative-schema.ts';

const GOOD = path.resolve('examples/seed/models/good.onnx');
const graphYaml = `apiVersion: switchyard.dev/v1alpha1
kind: InferenceGraph
metadata: { name: pvc-iris }
spec:
  root: iris
  nodes:
    iris:
      type: MODEL
      onnx: { path: "pvc://team-models/iris/v3/model.onnx", classNames: [setosa, versicolor, virginica] }
`;

describe('pvc:// models', () => {
  let dir: string;
  let plan: DeploymentPlan;
  let outDir: string;
  let replica: ChildProcess | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-pvc-'));
    await writeFile(path.join(dir, 'graph.yaml'), graphYaml);
    outDir = path.join(dir, 'out');
    const built = await buildGraph(path.join(dir, 'graph.yaml'), { outDir });
    if (!built.ok) throw new Error(built.report);
    plan = built.plan;
  });
  afterAll(async () => {
    replica?.kill();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('compiles without copying a model, the plan naming the claim and the file in it', async () => {
    expect(plan.nodes.iris!.implementation).toMatchObject({ kind: 'onnx', claim: { name: 'team-models', path: 'iris/v3/model.onnx' } });
    const fnDir = path.dirname(path.join(outDir, plan.functions.iris!.bundle));
    expect((await readdir(fnDir)).filter((f) => f.endsWith('.onnx'))).toEqual([]);
  });

  it('mounts the claim read-only in the model function\'s pod, and no models claim, valid against the Knative CRD', () => {
    const bundles = Object.fromEntries(Object.keys(plan.functions).map((fn) => [fn, { fileName: 'index.mjs', contents: `export const fn = ${JSON.stringify(fn)};\n` }]));
    const service = renderManifests({ ...plan, grpc: { enabled: false } }, { image: 'registry.example.com/switchyard/runtime:0.1.0', bundles }).find((o) => o.kind === 'Service' && o.metadata.name === 'pvc-iris-iris') as KnativeService;
    expect(knativeServiceValidator().check(service)).toEqual([]);
    const spec = service.spec.template.spec;
    expect(spec.volumes).toContainEqual({ name: 'claim-0', persistentVolumeClaim: { claimName: 'team-models', readOnly: true } });
    expect(spec.volumes.some((v) => 'persistentVolumeClaim' in v && v.persistentVolumeClaim.claimName === 'pvc-iris-models')).toBe(false);
    expect(spec.containers[0].volumeMounts).toContainEqual({ name: 'claim-0', mountPath: '/opt/switchyard/claims/team-models', readOnly: true });
    expect(spec.containers[0].env.some((e) => e.name === 'SWITCHYARD_MODEL_DIR')).toBe(false);
    expect(spec.initContainers).toBeUndefined();
  });

  it('reads the model on the claim: the compiled function serves it from the mount', async () => {
    const claims = path.join(dir, 'claims');
    await mkdir(path.join(claims, 'team-models', 'iris', 'v3'), { recursive: true });
    await copyFile(GOOD, path.join(claims, 'team-models', 'iris', 'v3', 'model.onnx'));
    const bundle = path.join(outDir, plan.functions.iris!.bundle);
    const child = spawn(process.execPath, [bundle], { cwd: path.dirname(bundle), env: { ...process.env, PORT: '0', HOST: '127.0.0.1', SWITCHYARD_CLAIMS_DIR: claims }, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    replica = child;
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const port = await new Promise<number>((resolve, reject) => {
      child.on('message', (m: { type?: string; port?: number }) => m.type === 'ready' && resolve(m.port!));
      child.once('exit', (code) => reject(new Error(`the model function exited (${code}):\n${stderr}`)));
    });
    const response = await fetch(`http://127.0.0.1:${port}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ data: { ndarray: [[5.1, 3.5, 1.4, 0.2]] } }) });
    const body = (await response.json()) as { data: { names: string[]; ndarray: number[][] } };
    expect(response.status, JSON.stringify(body)).toBe(200);
    expect(body.data.names).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(body.data.ndarray[0]!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(stderr).toMatch(/node "iris": loaded pvc:\/\/team-models\/iris\/v3\/model\.onnx on \[/);
  });

  it('says where the model is when compiled', async () => {
    const lines: string[] = [];
    expect(await compileCommand(path.join(dir, 'graph.yaml'), { out: path.join(dir, 'compiled') }, { info: (l) => lines.push(l), error: (l) => lines.push(l) })).toBe(0);
    expect(lines).toContain('model: iris on the PersistentVolumeClaim team-models (pvc://team-models/iris/v3/model.onnx); its pod mounts the claim and reads it there (Kubernetes only: switchyard up cannot)');
  });

  it('is refused by the local engine, which cannot mount a claim, saying what to write instead', async () => {
    await expect(startLocalEngine({ plan, buildDir: outDir, port: 0, state: { kind: 'memory' }, log: () => {} })).rejects.toThrow(
      /node "iris": its model is on the PersistentVolumeClaim "team-models" \(pvc:\/\/team-models\/iris\/v3\/model\.onnx\), which only a pod on Kubernetes can read\nfor switchyard up, give onnx\.path the model file/,
    );
  });
});
