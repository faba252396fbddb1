/**
 * A model named by URL on Kubernetes: the model function's Knative Service gets an init container that downloads
 * it into an emptyDir (no models claim), and that container's command, run here exactly as rendered (same
 * `node` arguments and environment, its directory moved to a temporary one), fetches the file from a real HTTP
 * server, checks its sha256, and fails with one clear line when it cannot.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderManifests, type InitContainer, type KnativeService } from '../../compiler/render/index.ts';
import type { DeploymentPlan } from '../../runtime/plan/types.ts';
import { knativeServiceValidator } from '../helpers/knative-schema.ts';
import { IMAGE, seedBundles, seedPlan } from '../unit/render/seed-plan.ts';

const GOOD = path.resolve('examples/seed/models/good.onnx');

describe('models named by URL on Kubernetes: the fetch-models init container', () => {
  let dir: string;
  let server: http.Server;
  let base: string;
  let model: Buffer;
  let sha256: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-fetch-init-'));
    model = await readFile(GOOD);
    sha256 = createHash('sha256').update(model).digest('hex');
    server = http.createServer((req, res) => (req.url === '/good.onnx' ? res.writeHead(200, { 'content-length': model.length }).end(model) : res.writeHead(404).end()));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** The seed plan with good-model named by `url`. */
  const planWith = (url: string, digest?: string): DeploymentPlan => {
    const plan = seedPlan();
    const impl = plan.nodes['good-model']!.implementation;
    if (impl.kind !== 'onnx') throw new Error('good-model is an ONNX node');
    impl.source = { url, ...(digest ? { sha256: digest } : {}) };
    return plan;
  };
  /** Where the function reads its model, inside its models directory. */
  const modelFile = () => (seedPlan().nodes['good-model']!.implementation as { modelFile: string }).modelFile;
  const serviceOf = (plan: DeploymentPlan, fn: string) =>
    renderManifests(plan, { image: IMAGE, bundles: seedBundles() }).find((o) => o.kind === 'Service' && o.metadata.name === `seed-${fn}`) as KnativeService;

  /** Runs the init container's command as rendered, with its models directory moved under `into`. */
  const runInit = async (init: InitContainer, into: string) => {
    const env: Record<string, string> = { PATH: process.env.PATH ?? '' };
    for (const e of init.env) env[e.name] = e.value!;
    env.SWITCHYARD_MODEL_DIR = path.join(into, path.basename(env.SWITCHYARD_MODEL_DIR!));
    try {
      const { stdout } = await promisify(execFile)(process.execPath, init.args, { env, timeout: 30_000 });
      return { code: 0, output: stdout, dir: env.SWITCHYARD_MODEL_DIR };
    } catch (error) {
      const failed = error as { code: number; stderr: string };
      return { code: failed.code, output: failed.stderr, dir: env.SWITCHYARD_MODEL_DIR };
    }
  };

  it('renders an init container and an emptyDir instead of the models claim, valid against the Knative CRD', () => {
    const model = serviceOf(planWith(`${base}/good.onnx`, sha256), 'good-model');
    expect(knativeServiceValidator().check(model)).toEqual([]);
    const spec = model.spec.template.spec;
    expect(spec.volumes).toContainEqual({ name: 'models', emptyDir: {} });
    expect(spec.volumes.some((v) => 'persistentVolumeClaim' in v)).toBe(false);
    const [init] = spec.initContainers!;
    expect(init).toMatchObject({ name: 'fetch-models', image: IMAGE, command: ['node'], volumeMounts: [{ name: 'models', mountPath: '/opt/switchyard/models', readOnly: false }] });
    expect(init!.securityContext).toEqual(spec.containers[0].securityContext);
    expect(JSON.parse(init!.env.find((e) => e.name === 'SWITCHYARD_MODEL_SOURCES')!.value!)).toEqual([{ url: `${base}/good.onnx`, file: modelFile(), sha256 }]);
    expect(spec.containers[0].volumeMounts).toContainEqual({ name: 'models', mountPath: '/opt/switchyard/models', readOnly: true });
    // The other model, named by file, keeps the claim.
    expect(serviceOf(planWith(`${base}/good.onnx`), 'weak-model').spec.template.spec.initContainers).toBeUndefined();
  });

  it('downloads the model where the function reads it, checking its sha256', async () => {
    const init = serviceOf(planWith(`${base}/good.onnx`, sha256), 'good-model').spec.template.spec.initContainers![0]!;
    const into = await mkdtemp(path.join(dir, 'ok-'));
    const run = await runInit(init, into);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toMatch(/^fetch-models: http:\/\/127\.0\.0\.1:\d+\/good\.onnx -> \S+ \(\d+ bytes, \d+ ms\)/);
    expect((await readFile(path.join(run.dir, modelFile()))).equals(model)).toBe(true);
  });

  it('fails with one line, and leaves no file, when the content or the URL is wrong', async () => {
    const wrong = await runInit(serviceOf(planWith(`${base}/good.onnx`, 'b'.repeat(64)), 'good-model').spec.template.spec.initContainers![0]!, await mkdtemp(path.join(dir, 'sha-')));
    expect(wrong.code).toBe(1);
    expect(wrong.output.trim()).toBe(`fetch-models: ${base}/good.onnx has sha256 ${sha256}, not ${'b'.repeat(64)}`);
    expect(await readdir(wrong.dir)).toEqual([]);
    const missing = await runInit(serviceOf(planWith(`${base}/nope.onnx`), 'good-model').spec.template.spec.initContainers![0]!, await mkdtemp(path.join(dir, 'missing-')));
    expect(missing.code).toBe(1);
    expect(missing.output.trim()).toBe(`fetch-models: could not download ${base}/nope.onnx: HTTP 404`);
  });
});
