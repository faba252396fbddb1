/**
 * `npm run bench` end to end on a tiny scenario: the harness runs it in quick mode and writes its JSON result
 * and the README. No timing is asserted: figures belong to benchmarks, not tests.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const run = promisify(execFile);

async function bench(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [path.join(ROOT, 'bench/run.ts'), ...args], { cwd: ROOT, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('bench/run.ts', () => {
  let out: string;
  beforeEach(async () => {
    out = await mkdtemp(path.join(os.tmpdir(), 'switchyard-bench-test-'));
  });
  afterEach(async () => {
    await rm(out, { recursive: true, force: true });
  });

  it('runs a scenario with --quick and writes its JSON and the README', async () => {
    const result = await bench(['--quick', '--out', out, '--scenarios', FIXTURES, 'tiny']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('[1/1] tiny: a local echo server under the load generator (quick)');
    expect(result.stdout).toMatch(/tiny \| echo server on \d+/);

    const json = JSON.parse(await readFile(path.join(out, 'tiny.json'), 'utf8'));
    expect(json).toMatchObject({ scenario: 'tiny', description: 'a local echo server under the load generator', quick: true });
    expect(json.machine.cores).toBeGreaterThan(0);
    expect(json.machine.node).toBe(process.version);
    expect(json.result.quick).toBe(true);
    expect(json.result.load.requests).toBeGreaterThan(0);
    expect(json.result.load.errors).toBe(0);
    expect(json.result.summary).toEqual([`- ${json.result.load.requests} requests, 0 errors`]);

    const readme = await readFile(path.join(out, 'README.md'), 'utf8');
    expect(readme).toContain('# Benchmark results');
    expect(readme).toContain(`Machine: ${json.machine.cpu}, ${json.machine.cores} cores`);
    expect(readme).toContain('## tiny');
    expect(readme).toContain('quick run (--quick)');
    expect(readme).toContain(`- ${json.result.load.requests} requests, 0 errors`);
  });

  it('names the scenarios there are when asked for one that is not', async () => {
    const result = await bench(['--quick', '--out', out, '--scenarios', FIXTURES, 'tiny', 'nope']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown scenario nope: the scenarios are broken, tiny');
  });

  it('reports a failing scenario, exits 1, and still writes the others', async () => {
    const result = await bench(['--quick', '--out', out, '--scenarios', FIXTURES]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('broken failed: Error: this scenario fails on purpose');
    const readme = await readFile(path.join(out, 'README.md'), 'utf8');
    expect(readme).toContain('## tiny');
    expect(readme).not.toContain('## broken');
  });
});
