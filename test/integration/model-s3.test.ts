/**
 * Private S3 models: an `s3://` model is fetched with a request signed with AWS Signature Version 4 (the aws4
 * package) when AWS credentials are set, at build time and, on Kubernetes, by the fetch-models init container with
 * the keys of `onnx.credentialsSecret`. The store is an HTTP server here that answers S3's GetObject and checks
 * each signature the way S3 does, with a verifier written from AWS's published algorithm (checked first against
 * AWS's own worked example), so a wrong key, region or path is refused as S3 refuses it.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadModel } from '../../compiler/validate/model-download.ts';
import { renderManifests, type InitContainer, type KnativeService } from '../../compiler/render/index.ts';
import { resolveImplementation } from '../../compiler/plan/resolve-implementation.ts';
import { sigV4Signature, startS3Server, type S3TestServer } from '../helpers/s3-server.ts';
import { knativeServiceValidator } from '../helpers/knative-schema.ts';
import { IMAGE, seedBundles, seedPlan } from '../unit/render/seed-plan.ts';

const GOOD = path.resolve('examples/seed/models/good.onnx');
const KEYS = { accessKeyId: 'AKIASWITCHYARDTEST', secretAccessKey: 'switchyard/test/secret+key', sessionToken: 'session-token-1' };

describe('the test store\'s SigV4 verifier', () => {
  it('computes the signature of AWS\'s worked GetObject example', () => {
    const headers = { host: 'examplebucket.s3.amazonaws.com', range: 'bytes=0-9', 'x-amz-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'x-amz-date': '20130524T000000Z' };
    const signature = sigV4Signature({ method: 'GET', path: '/test.txt', headers, signedHeaders: Object.keys(headers), payloadHash: headers['x-amz-content-sha256'], amzDate: headers['x-amz-date'], region: 'us-east-1', service: 's3', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' });
    expect(signature).toBe('f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41');
  });
});

describe('s3:// models from a private bucket', () => {
  let s3: S3TestServer;
  let dir: string;
  let model: Buffer;
  beforeAll(async () => {
    model = await readFile(GOOD);
    s3 = await startS3Server({ credentials: KEYS, objects: { '/models/iris/v1/good model.onnx': model, '/public/good.onnx': model }, publicKeys: ['/public/good.onnx'] });
    dir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-s3-'));
  });
  afterAll(async () => {
    await s3?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({ SWITCHYARD_CACHE_DIR: path.join(dir, `cache-${Math.random()}`), AWS_ENDPOINT_URL: s3.endpoint, ...extra });
  const withKeys = { AWS_ACCESS_KEY_ID: KEYS.accessKeyId, AWS_SECRET_ACCESS_KEY: KEYS.secretAccessKey, AWS_SESSION_TOKEN: KEYS.sessionToken, AWS_REGION: 'eu-west-1' };

  it('downloads a private object at build time with a signed request, in the region set', async () => {
    s3.requests.length = 0;
    const download = await downloadModel('s3://models/iris/v1/good model.onnx', { env: env(withKeys) });
    expect(download.ok, JSON.stringify(download)).toBe(true);
    if (!download.ok) return;
    expect((await readFile(download.file)).equals(model)).toBe(true);
    expect(s3.requests).toEqual([{ path: '/models/iris/v1/good%20model.onnx', signed: true, region: 'eu-west-1' }]);
  });

  it('says what to do when the object is private and no credentials are set, or when they are refused', async () => {
    const anonymous = await downloadModel('s3://models/iris/v1/good model.onnx', { env: env() });
    expect(anonymous).toMatchObject({ ok: false, problem: expect.stringMatching(/HTTP 403/), hint: expect.stringMatching(/set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/) });
    const wrong = await downloadModel('s3://models/iris/v1/good model.onnx', { env: env({ ...withKeys, AWS_SECRET_ACCESS_KEY: 'not-the-secret' }) });
    expect(wrong).toMatchObject({ ok: false, problem: expect.stringMatching(/\(signed\): HTTP 403/), hint: expect.stringMatching(/credentials in AWS_ACCESS_KEY_ID were refused.*eu-west-1/) });
    // A public object needs no credentials.
    expect((await downloadModel('s3://public/good.onnx', { env: env() })).ok).toBe(true);
  });

  describe('on Kubernetes: the fetch-models init container', () => {
    const service = (secret?: string) => {
      const plan = seedPlan();
      const node = plan.nodes['good-model']!;
      const previous = process.env.AWS_ENDPOINT_URL;
      process.env.AWS_ENDPOINT_URL = s3.endpoint;
      try {
        node.implementation = resolveImplementation('good-model', { type: 'MODEL', onnx: { path: 's3://models/iris/v1/good model.onnx', ...(secret ? { credentialsSecret: secret } : {}) } } as never);
      } finally {
        if (previous === undefined) delete process.env.AWS_ENDPOINT_URL;
        else process.env.AWS_ENDPOINT_URL = previous;
      }
      return renderManifests(plan, { image: IMAGE, bundles: seedBundles() }).find((o) => o.kind === 'Service' && o.metadata.name === 'seed-good-model') as KnativeService;
    };
    /** Runs the container's command as rendered, with the Secret's keys as its environment when given. */
    const runInit = async (init: InitContainer, secretKeys: Record<string, string> = {}) => {
      const into = await mkdtemp(path.join(dir, 'pod-'));
      const vars: Record<string, string> = { PATH: process.env.PATH ?? '', ...secretKeys };
      for (const e of init.env) vars[e.name] = e.value!;
      vars.SWITCHYARD_MODEL_DIR = path.join(into, 'good-model');
      try {
        const { stdout } = await promisify(execFile)(process.execPath, init.args, { env: vars, timeout: 30_000 });
        return { code: 0, output: stdout, dir: vars.SWITCHYARD_MODEL_DIR };
      } catch (error) {
        return { code: (error as { code: number }).code, output: (error as { stderr: string }).stderr, dir: vars.SWITCHYARD_MODEL_DIR };
      }
    };

    it('gets the Secret\'s keys as its environment, valid against the Knative CRD', () => {
      const rendered = service('models-s3');
      expect(knativeServiceValidator().check(rendered)).toEqual([]);
      const init = rendered.spec.template.spec.initContainers![0]!;
      expect(init.envFrom).toEqual([{ secretRef: { name: 'models-s3' } }]);
      expect(JSON.parse(init.env.find((e) => e.name === 'SWITCHYARD_MODEL_SOURCES')!.value!)).toEqual([expect.objectContaining({ url: `${s3.endpoint}/models/iris/v1/good%20model.onnx`, s3: true })]);
      expect(service().spec.template.spec.initContainers![0]!.envFrom).toBeUndefined();
    });

    it('signs its request with those keys and writes the model where the function reads it', async () => {
      s3.requests.length = 0;
      const init = service('models-s3').spec.template.spec.initContainers![0]!;
      const run = await runInit(init, withKeys);
      expect(run.code, run.output).toBe(0);
      const [{ file }] = JSON.parse(init.env.find((e) => e.name === 'SWITCHYARD_MODEL_SOURCES')!.value!) as Array<{ file: string }>;
      expect((await readFile(path.join(run.dir, file!))).equals(model)).toBe(true);
      expect(s3.requests).toEqual([{ path: '/models/iris/v1/good%20model.onnx', signed: true, region: 'eu-west-1' }]);
    });

    it('fails with one line that says why, without credentials or with the wrong ones', async () => {
      const init = service().spec.template.spec.initContainers![0]!;
      const anonymous = await runInit(init);
      expect(anonymous.code).toBe(1);
      expect(anonymous.output.trim()).toBe(`fetch-models: could not download ${s3.endpoint}/models/iris/v1/good%20model.onnx: HTTP 403 (no AWS credentials: set onnx.credentialsSecret)`);
      const wrong = await runInit(init, { ...withKeys, AWS_SECRET_ACCESS_KEY: 'wrong' });
      expect(wrong.code).toBe(1);
      expect(wrong.output.trim()).toBe(`fetch-models: could not download ${s3.endpoint}/models/iris/v1/good%20model.onnx (signed, region eu-west-1): HTTP 403`);
    });
  });
});
