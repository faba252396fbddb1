/**
 * The orchestrator bundle as Knative runs it: no engine around it, its Redis URL in SWITCHYARD_STATE exactly as the
 * `<graph>-state` Secret holds it (a bare redis:// URL, not JSON). A setting it cannot read stops it at start with a
 * message that names the variable (and, under the local engine, answers the waiting request with it).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/graph-engine.ts';
import { freePort, redisServerBinary, startRedisServer, type RedisServerHandle } from '../helpers/redis-server.ts';
import { compileGraph, feedbackFor, SEED, type CompiledGraph } from './state-fixtures.ts';

const hasRedis = redisServerBinary() !== undefined;
const skipReason = hasRedis ? '' : ' — SKIPPED: redis-server is not installed (apt-get install -y redis-server)';

function runOrchestrator(compiled: CompiledGraph, env: Record<string, string>) {
  const child = spawn(process.execPath, [path.join(compiled.outDir, 'functions/orchestrator/index.mjs')], {
    env: { ...process.env, HOST: '127.0.0.1', SWITCHYARD_ENDPOINTS: '{}', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    output: () => output,
    exited,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

describe.skipIf(!hasRedis)(`SWITCHYARD_STATE from a Kubernetes Secret${skipReason}`, { timeout: 60_000 }, () => {
  let dir: string;
  let compiled: CompiledGraph;
  let redis: RedisServerHandle;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-state-env-'));
    compiled = await compileGraph(SEED, path.join(dir, 'build'));
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('takes a bare redis:// URL', async () => {
    const port = await freePort();
    const orchestrator = runOrchestrator(compiled, { PORT: String(port), SWITCHYARD_STATE: `${redis.url}/5` });
    try {
      const base = `http://127.0.0.1:${port}`;
      await eventually('the orchestrator listening', async () => (await fetch(`${base}/health/ping`).catch(() => undefined))?.status === 200);
      const feedback = await fetch(`${base}/api/v1.0/feedback`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(feedbackFor('env-1', 0, 1)),
      });
      expect(feedback.status).toBe(200);
      const view = (await (await fetch(`${base}/api/v1.0/routers`)).json()) as any;
      expect(view.state).toMatchObject({ store: 'redis', location: `${redis.url}/5`, available: true });
      expect(view.routers[0].arms[0]).toMatchObject({ child: 'weak-model', pulls: 1, rewardSum: 1 });
      expect(orchestrator.output()).toMatch(/router state: redis redis:\/\/127\.0\.0\.1:\d+\/5/);
    } finally {
      await orchestrator.stop();
    }
  });

  it('stops at start, naming the variable, when it cannot read the setting', async () => {
    const orchestrator = runOrchestrator(compiled, { PORT: String(await freePort()), SWITCHYARD_STATE: 'mongodb://db:27017' });
    expect(await orchestrator.exited).not.toBe(0);
    expect(orchestrator.output()).toMatch(/^orchestrator: cannot start: SWITCHYARD_STATE is not a state store setting: received "mongodb:\/\/db:27017"; expected redis:\/\/HOST:PORT/m);
    // One line that says what to do, not the bundle's minified source around an uncaught exception.
    expect(orchestrator.output().trim().split('\n')).toHaveLength(1);
  });

  it('tells a local-engine parent why, over IPC, before it exits', async () => {
    const child = spawn(process.execPath, [path.join(compiled.outDir, 'functions/orchestrator/index.mjs')], {
      env: { ...process.env, HOST: '127.0.0.1', PORT: String(await freePort()), SWITCHYARD_ENDPOINTS: '{}', SWITCHYARD_STATE: 'mongodb://db:27017' },
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    });
    const messages: unknown[] = [];
    child.on('message', (message) => messages.push(message));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(messages).toEqual([{ type: 'failed', message: expect.stringMatching(/^SWITCHYARD_STATE is not a state store setting/) }]);
  });
});
