/**
 * `switchyard up`'s autoscaling and engine flags, as a user runs them (a real CLI process): they win over the
 * graph file for every function, and reach the engine (queue limit, graph activation).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/graph-engine.ts';
import type { EngineStatus } from '../../runtime/engine/local/status.ts';

const CLI = path.resolve('bin/switchyard.mjs');
const BURST = path.resolve('test/fixtures/engine/burst.yaml');

describe('switchyard up with autoscaling flags', () => {
  let child: ChildProcess;
  let output = '';
  let url = '';
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-flags-'));
    const flags = [
      '--stable-window', '7s', '--scale-to-zero-grace', '2s', '--scale-down-delay', '4s',
      '--min-scale', '0', '--max-scale', '3', '--initial-scale', '1',
      '--target', '10', '--target-utilization', '50', '--panic-window', '20', '--panic-threshold', '150%',
      '--max-queue', '3', '--queue-timeout', '20s', '--no-graph-activation', '--internal-transport', 'http',
    ];
    child = spawn(process.execPath, [CLI, 'up', BURST, '--port', '0', '--build-dir', path.join(dir, 'build'), '--state', 'memory', ...flags], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    await eventually('the ready line', () => /ready: (http:\/\/\S+)/.test(output), 30_000);
    url = /ready: (http:\/\/\S+)/.exec(output)![1]!;
  });
  afterAll(async () => {
    child?.kill('SIGINT');
    if (child?.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
    await rm(dir, { recursive: true, force: true });
  });

  const status = async () => (await (await fetch(`${url}/_switchyard/status`)).json()) as EngineStatus;

  it('every function gets the flags\' values over the file\'s (the doubler keeps the file\'s containerConcurrency)', async () => {
    const { functions, graphActivation, internalTransport } = await status();
    expect(graphActivation).toBe(false);
    expect(internalTransport.kind).toBe('http');
    expect(output).toMatch(/internal calls over HTTP/);
    const expected = {
      minScale: 0, maxScale: 3, initialScale: 1, target: 10, targetUtilization: 0.5,
      stableWindowMs: 7000, panicWindowPercentage: 20, panicThresholdPercentage: 150,
      scaleToZeroGracePeriodMs: 2000, scaleDownDelayMs: 4000,
    };
    expect(functions.map((f) => f.function).sort()).toEqual(['doubler', 'orchestrator']);
    for (const fn of functions) expect(fn.scaling, fn.function).toMatchObject(expected);
    expect(functions.find((f) => f.function === 'doubler')!.scaling.containerConcurrency).toBe(4);
    expect(output).toMatch(/graph activation off/);
  });

  it('--max-queue reaches the engine: a cold burst beyond it gets 503s; --no-graph-activation: the doubler starts only when called', async () => {
    const post = () =>
      fetch(`${url}/api/v1.0/predictions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"data":{"ndarray":[[1,2]]}}' });
    const responses = await Promise.all(Array.from({ length: 6 }, post));
    expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 200, 503, 503, 503]);
    expect(responses.filter((r) => r.status === 503).every((r) => r.headers.get('retry-after') === '1')).toBe(true);
    const lines = output.split('\n');
    const at = (pattern: RegExp) => lines.findIndex((line) => pattern.test(line));
    expect(at(/doubler: replica 1 starting/)).toBeGreaterThan(at(/orchestrator: replica 1 ready/));
  });

  it('malformed flags are refused before anything starts, naming the flag', async () => {
    const refuse = (args: string[]) =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const p = spawn(process.execPath, [CLI, 'up', BURST, '--port', '0', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        p.stderr!.on('data', (chunk) => (stderr += chunk));
        p.once('exit', (code) => resolve({ code, stderr }));
      });
    const [queue, threshold, transport] = await Promise.all([
      refuse(['--max-queue', '0']),
      refuse(['--panic-threshold', 'high']),
      refuse(['--internal-transport', 'pigeon']),
    ]);
    expect(transport).toMatchObject({ code: 1, stderr: expect.stringMatching(/--internal-transport must be frames or http; received "pigeon"/) });
    expect(queue).toMatchObject({ code: 1, stderr: expect.stringMatching(/--max-queue must be above 0; received "0"/) });
    expect(threshold).toMatchObject({ code: 1, stderr: expect.stringMatching(/--panic-threshold takes a percentage such as 70 or 70%; received "high"/) });
  });
});
