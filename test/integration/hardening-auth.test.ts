/**
 * Bearer-token auth at the gateway, as a user turns it on: `switchyard up --auth-token-file … --grpc-port 0
 * --max-body-size …` in a real child process. Without a valid token: 401 + `WWW-Authenticate: Bearer` and a
 * protocol-correct body (REST), UNAUTHENTICATED (gRPC); health, /metrics and status stay open; the
 * orchestrator's own calls through /_fn/ still work (it forwards the caller's token).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/graph-engine.ts';
import { codeName, inferenceClient, type InferenceClient } from '../helpers/grpc-client.ts';
import { loadSeldonService } from '../../runtime/grpc/load-proto.ts';

const CLI = path.resolve('bin/switchyard.mjs');
const FORMS = path.resolve(import.meta.dirname, '../contract/fixtures/forms/graph.yaml');
const TOKEN = 'test-token-3f9a7c';
const GOOD_V2 = { inputs: [{ name: 'x', shape: [1], datatype: 'FP32', data: [1] }] };

describe('switchyard up --auth-token-file, --grpc-port, --max-body-size', () => {
  let child: ChildProcess;
  let output = '';
  let url = '';
  let dir: string;
  let client: InferenceClient;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-auth-'));
    const tokenFile = path.join(dir, 'token');
    await writeFile(tokenFile, `${TOKEN}\n`);
    const args = [CLI, 'up', FORMS, '--port', '0', '--grpc-port', '0', '--max-body-size', '4kb', '--auth-token-file', tokenFile, '--build-dir', path.join(dir, 'build')];
    child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SWITCHYARD_AUTH_TOKEN: 'ignored-when-a-file-is-given' } });
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    await eventually('the ready and grpc lines', () => /ready: (http:\/\/\S+)/.test(output) && /grpc: (\S+)/.test(output), 30_000);
    url = /ready: (http:\/\/\S+)/.exec(output)![1]!;
    client = inferenceClient(/grpc: (\S+)/.exec(output)![1]!);
  });
  afterAll(async () => {
    client?.close();
    if (child && child.exitCode === null) {
      child.kill('SIGINT');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const post = async (route: string, body: unknown, authorization?: string) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (authorization !== undefined) headers['authorization'] = authorization;
    const response = await fetch(url + route, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
    return { status: response.status, challenge: response.headers.get('www-authenticate'), body: (await response.json()) as Record<string, any> };
  };

  it.each([
    { name: 'no token', authorization: undefined, challenge: 'Bearer realm="switchyard"', info: /authentication required/ },
    { name: 'a wrong token', authorization: 'Bearer not-the-token', challenge: 'Bearer realm="switchyard", error="invalid_token"', info: /bearer token is not valid/ },
    { name: 'another scheme', authorization: `Basic ${Buffer.from(`u:${TOKEN}`).toString('base64')}`, challenge: 'Bearer realm="switchyard", error="invalid_token"', info: /not valid/ },
  ])('answers $name with 401, a Bearer challenge and a protocol-correct body', async ({ authorization, challenge, info }) => {
    const seldon = await post('/api/v1.0/predictions', { strData: 'x' }, authorization);
    expect(seldon.status).toBe(401);
    expect(seldon.challenge).toBe(challenge);
    expect(seldon.body.status).toMatchObject({ code: 401, reason: 'unauthenticated', status: 'FAILURE' });
    expect(seldon.body.status.info).toMatch(info);
    const v2 = await post('/v2/models/forms/infer', GOOD_V2, authorization);
    expect(v2.status).toBe(401);
    expect(Object.keys(v2.body)).toEqual(['error']);
    const v1 = await post('/v1/models/forms:predict', { instances: [[1]] }, authorization);
    expect(v1.status).toBe(401);
    expect(Object.keys(v1.body)).toEqual(['error']);
    expect((await post('/_fn/echo/predict', { strData: 'x' }, authorization)).status).toBe(401);
  });

  it('serves requests with the token, the orchestrator\'s calls to /_fn/ included', async () => {
    const bearer = `Bearer ${TOKEN}`;
    const seldon = await post('/api/v1.0/predictions', { strData: 'hello' }, bearer);
    expect(seldon.status).toBe(200);
    expect(seldon.body.strData).toBe('hello');
    expect((await post('/v2/models/forms/infer', GOOD_V2, `bearer ${TOKEN}`)).status).toBe(200);
    expect((await post('/v1/models/forms:predict', { instances: ['hi'] }, bearer)).status).toBe(200);
    const metadata = await fetch(`${url}/v2/models/forms`, { headers: { authorization: bearer } });
    expect(metadata.status).toBe(200);
    expect((await post('/_fn/echo/predict', { strData: 'direct' }, bearer)).body.strData).toBe('direct');
  });

  it('keeps health, /metrics and status open', async () => {
    for (const route of ['/health/ping', '/health/status', '/v2/health/live', '/v2/health/ready', '/metrics', '/_switchyard/status']) {
      expect((await fetch(url + route)).status, route).toBe(200);
    }
  });

  it('applies --max-body-size (413) after auth', async () => {
    const big = JSON.stringify({ strData: 'x'.repeat(5000) });
    expect((await post('/api/v1.0/predictions', big, `Bearer ${TOKEN}`)).status).toBe(413);
    expect((await post('/api/v1.0/predictions', big)).status).toBe(401);
  });

  it('gRPC: health open, everything else UNAUTHENTICATED without the token, served with it', async () => {
    expect((await client.call('ServerLive', {})).ok).toBe(true);
    expect((await client.call('ServerReady', {})).ok).toBe(true);
    const request = { model_name: 'forms', inputs: [{ name: 'x', datatype: 'FP32', shape: [1], contents: { fp32_contents: [2] } }] };
    for (const [method, body] of [['ModelInfer', request], ['ModelMetadata', { name: 'forms' }], ['ModelReady', { name: 'forms' }], ['ServerMetadata', {}]] as const) {
      for (const metadata of [{}, { authorization: 'Bearer wrong' }]) {
        const denied = await client.call(method, body, metadata);
        expect(denied.ok).toBe(false);
        if (!denied.ok) {
          expect(codeName(denied.code)).toBe('UNAUTHENTICATED');
          expect(denied.details).toMatch(/Authorization: Bearer <token>/);
        }
      }
      expect((await client.call(method, body, { authorization: `Bearer ${TOKEN}` })).ok, method).toBe(true);
    }
    // Seldon's gRPC API goes through the same front door.
    const seldon = inferenceClient(/grpc: (\S+)/.exec(output)![1]!, loadSeldonService());
    try {
      const denied = await seldon.call('Predict', { strData: 'x' });
      expect(denied.ok ? 'OK' : codeName(denied.code)).toBe('UNAUTHENTICATED');
      const served = await seldon.call('Predict', { data: { ndarray: { values: [{ listValue: { values: [{ numberValue: 2 }] } }] } } }, { authorization: `Bearer ${TOKEN}` });
      expect(served.ok, JSON.stringify(served)).toBe(true);
    } finally {
      seldon.close();
    }
  });

  it('switchyard trace list needs the token too, and says how to give it', async () => {
    const port = new URL(url).port;
    const trace = (extraEnv: Record<string, string>, ...args: string[]) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const run = spawn(process.execPath, [CLI, 'trace', 'list', '--port', port, ...args], { env: { ...process.env, SWITCHYARD_AUTH_TOKEN: '', ...extraEnv } });
        let stdout = '';
        let stderr = '';
        run.stdout!.on('data', (chunk) => (stdout += chunk));
        run.stderr!.on('data', (chunk) => (stderr += chunk));
        run.once('exit', (code) => resolve({ code, stdout, stderr }));
      });
    const without = await trace({});
    expect(without.code).toBe(1);
    expect(without.stderr).toMatch(/requires a token: pass --auth-token-file, or set SWITCHYARD_AUTH_TOKEN/);
    const withEnv = await trace({ SWITCHYARD_AUTH_TOKEN: TOKEN }, '--json');
    expect(withEnv.code).toBe(0);
    expect(JSON.parse(withEnv.stdout)).toHaveProperty('traces');
    const withFile = await trace({}, '--auth-token-file', path.join(dir, 'token'), '--json');
    expect(withFile.code).toBe(0);
  });
});
