/**
 * `switchyard up --watch` as a developer uses it: a graph and its component in a directory of their own, edited
 * while the graph serves. A saved change is rebuilt and served on the same port; a change that does not build is
 * reported and the running graph keeps answering as before.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/graph-engine.ts';
import { up, type Up } from '../helpers/switchyard-up.ts';

const GRAPH = `apiVersion: switchyard.dev/v1alpha1
kind: InferenceGraph
metadata: { name: watched }
spec:
  root: plus
  nodes:
    plus:
      type: MODEL
      component: ./components/plus.ts
`;
const component = (n: number) => `import { STEP } from './step.ts';\nexport function predict(X: number[][]): number[][] {\n  return X.map((row) => row.map((v) => v + STEP * ${n}));\n}\n`;

describe('switchyard up --watch', () => {
  let dir: string;
  let running: Up;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-watch-'));
    await import('node:fs/promises').then((fs) => fs.mkdir(path.join(dir, 'components')));
    await writeFile(path.join(dir, 'graph.yaml'), GRAPH);
    await writeFile(path.join(dir, 'components', 'plus.ts'), component(1));
    await writeFile(path.join(dir, 'components', 'step.ts'), 'export const STEP = 1;\n');
    running = await up(path.join(dir, 'graph.yaml'), path.join(dir, 'build'), ['--watch', '--state', 'memory', '--devices', 'none']);
  });
  afterAll(async () => {
    await running?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const predict = async (): Promise<number[][]> => {
    const response = await fetch(`${running.url}/api/v1.0/predictions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ data: { ndarray: [[1, 2]] } }),
    });
    const body = (await response.json()) as { data: { ndarray: number[][] } };
    expect(response.status, JSON.stringify(body)).toBe(200);
    return body.data.ndarray;
  };
  const count = (text: string) => running.output().split(text).length - 1;

  it('serves the graph and says it watches', async () => {
    expect(await predict()).toEqual([[2, 3]]);
    expect(running.output()).toContain('watching the graph file, its components and models');
  });

  it('rebuilds and serves a saved change to the component, on the same port', async () => {
    await writeFile(path.join(dir, 'components', 'plus.ts'), component(10));
    await eventually('the reload', () => count('reloaded graph "watched"') === 1, 30_000);
    expect(running.output()).toMatch(/changed: \S*components\/plus\.ts; rebuilding…/);
    expect(await predict()).toEqual([[11, 12]]);
  });

  it('sees a change to a file the component imports', async () => {
    await writeFile(path.join(dir, 'components', 'step.ts'), 'export const STEP = 2;\n');
    await eventually('the second reload', () => count('reloaded graph "watched"') === 2, 30_000);
    expect(await predict()).toEqual([[21, 22]]);
  });

  it('keeps serving the running graph when the change does not build, and says what is wrong', async () => {
    const good = await readFile(path.join(dir, 'graph.yaml'), 'utf8');
    await writeFile(path.join(dir, 'graph.yaml'), good.replace('root: plus', 'root: plsu'));
    await eventually('the failed rebuild', () => running.output().includes('not reloaded: the running graph keeps serving'), 30_000);
    expect(running.output()).toContain('spec.root: no node is named "plsu"');
    expect(await predict()).toEqual([[21, 22]]);
    // Fixed, it reloads again.
    await writeFile(path.join(dir, 'graph.yaml'), good);
    await eventually('the reload after the fix', () => count('reloaded graph "watched"') === 3, 30_000);
    expect(await predict()).toEqual([[21, 22]]);
  });

  it('serves the previous graph again when the new one builds but cannot start', async () => {
    const good = await readFile(path.join(dir, 'graph.yaml'), 'utf8');
    // A GPU this machine does not have (--devices none): the graph compiles, the engine refuses to start it.
    await writeFile(path.join(dir, 'graph.yaml'), good.replace('      component: ./components/plus.ts', '      component: ./components/plus.ts\n      device: { kind: nvidia-gpu, affinity: required }'));
    await eventually('the previous graph back', () => running.output().includes('not reloaded: the previous graph serves again'), 30_000);
    expect(running.output()).toContain('the new graph cannot start');
    expect(await predict()).toEqual([[21, 22]]);
  });
});
