/**
 * The `switchyard` command as a user runs it: a real child process per command, on the seed example.
 */
import { spawn, execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/graph-engine.ts';

const run = promisify(execFile);
const CLI = path.resolve('bin/switchyard.mjs');
const SEED = path.resolve('examples/seed/graph.yaml');

async function switchyard(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

async function listFiles(dir: string, base = dir): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(full, base)));
    else if (entry.isFile()) out.push(path.relative(base, full));
  }
  return out.sort();
}

describe('switchyard compile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-cli-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('says which nodes are shadows and which run elsewhere', async () => {
    const rollout = await switchyard(['compile', path.resolve('examples/rollout/graph.yaml'), '--out', path.join(dir, 'rollout')]);
    expect(rollout.code).toBe(0);
    expect(rollout.stdout).toMatch(/^shadow: candidate gets a copy of every input of current \(its answers are compared, never returned\)$/m);
    const remote = await switchyard(['compile', path.resolve('test/fixtures/engine/remote-front.yaml'), '--out', path.join(dir, 'remote')]);
    expect(remote.code).toBe(0);
    expect(remote.stdout).toMatch(/^remote: iris → http:\/\/127\.0\.0\.1:1 \(Open Inference Protocol, model iris; no function is built\)$/m);
  });

  it('writes a plan, one bundle per function and Knative manifests, identically twice', async () => {
    const first = await switchyard(['compile', SEED, '--out', path.join(dir, 'a')]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/compiled graph "seed"/);
    // Fusion is off in the seed graph; compile says what auto would fuse.
    expect(first.stdout).toMatch(/^hint: spec\.fusion: auto would run "features" inside the orchestrator: one network hop less per request$/m);
    const second = await switchyard(['compile', SEED, '--out', path.join(dir, 'b')]);
    expect(second.code).toBe(0);

    const files = await listFiles(path.join(dir, 'a'));
    expect(files).toEqual(await listFiles(path.join(dir, 'b')));
    expect(files).toEqual(
      expect.arrayContaining([
        'plan.json',
        'functions/features/index.mjs',
        'functions/good-model/index.mjs',
        'functions/good-model/model.onnx',
        'functions/weak-model/index.mjs',
        'functions/orchestrator/index.mjs',
        'manifests/service-seed-orchestrator.yaml',
        'manifests/configmap-seed-plan.yaml',
      ]),
    );
    for (const file of files) {
      const [a, b] = await Promise.all([readFile(path.join(dir, 'a', file)), readFile(path.join(dir, 'b', file))]);
      expect(a.equals(b), `${file} differs between two compiles`).toBe(true);
    }
    const plan = JSON.parse(await readFile(path.join(dir, 'a', 'plan.json'), 'utf8'));
    expect(plan.graph).toBe('seed');
    expect(plan.nodes.bandit.function).toBe('orchestrator');
    expect(Object.keys(plan.functions).sort()).toEqual(['features', 'good-model', 'orchestrator', 'weak-model']);
  });

  it('reports every problem of a bad graph and exits 1', async () => {
    const result = await switchyard(['compile', path.resolve('test/fixtures/graphs/bad/graph.yaml'), '--out', path.join(dir, 'bad')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/✖/);
    expect(result.stderr.match(/✖/g)!.length).toBeGreaterThan(1);
    await expect(stat(path.join(dir, 'bad', 'plan.json'))).rejects.toThrow();
  });

  it('says what to do for an unknown flag or a bad duration', async () => {
    const result = await switchyard(['up', SEED, '--stable-window', 'soon']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/--stable-window takes a duration/);
  });
});

describe('switchyard up and status', () => {
  let child: ReturnType<typeof spawn>;
  let output = '';
  let url = '';
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-up-'));
    child = spawn(process.execPath, [CLI, 'up', SEED, '--port', '0', '--build-dir', path.join(dir, 'build'), '--state', `file:${path.join(dir, 'state.json')}`], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    await eventually('the ready line', () => /ready: (http:\/\/\S+)/.test(output), 30_000);
    url = /ready: (http:\/\/\S+)/.exec(output)![1]!;
  });
  afterAll(async () => {
    child.kill('SIGINT');
    await new Promise((resolve) => child.once('exit', resolve));
    await rm(dir, { recursive: true, force: true });
  });

  it('serves the README request and logs each function state change', async () => {
    const body = await readFile('examples/seed/requests/seldon.json', 'utf8');
    const response = await fetch(`${url}/api/v1.0/predictions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { data: { ndarray: number[][] } }).data.ndarray[0]).toHaveLength(3);
    expect(output).toMatch(/features: replica 1 starting \(cold start\)/);
    expect(output).toMatch(/features: replica 1 ready in \d+ ms/);
  });

  it('status prints each function as a table and as JSON', async () => {
    const port = new URL(url).port;
    const table = await switchyard(['status', '--port', port]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/function\s+desired\s+ready/);
    expect(table.stdout).toMatch(/good-model|weak-model/);
    const json = await switchyard(['status', '--port', port, '--json']);
    const parsed = JSON.parse(json.stdout);
    expect(parsed.graph).toBe('seed');
    expect(parsed.functions.map((f: { function: string }) => f.function).sort()).toEqual(['features', 'good-model', 'orchestrator', 'weak-model']);
  });

  it('status says what to do when no engine answers', async () => {
    const result = await switchyard(['status', '--port', '1']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/switchyard up/);
  });
});
