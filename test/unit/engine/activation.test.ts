import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileSpecFile } from '../../../compiler/plan/index.ts';
import { activationOrder, createGraphActivator } from '../../../runtime/engine/local/activation.ts';
import type { FunctionPool } from '../../../runtime/engine/local/function-pool.ts';
import { ManualClock } from '../../helpers/manual-clock.ts';

/** A pool that only counts: `activate()` starts a replica, `ready()` finishes starting it. */
function countingPool(name: string, started: string[]) {
  let starting = 0;
  let ready = 0;
  const pool = {
    name,
    stats: () => ({ ready, starting }),
    activate: () => {
      starting++;
      started.push(name);
    },
  } as unknown as FunctionPool;
  return { pool, ready: () => ((starting -= 1), (ready += 1)), warm: () => (ready = 1) };
}

async function planOf(file: string) {
  const result = await compileSpecFile(path.resolve(file));
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.plan;
}

describe('graph-aware activation', () => {
  it('orders functions as a request reaches them: the orchestrator, then breadth first from the root', async () => {
    expect(activationOrder(await planOf('examples/seed/graph.yaml'), 'orchestrator')).toEqual(['orchestrator', 'features', 'weak-model', 'good-model']);
    expect(activationOrder(await planOf('test/fixtures/engine/chain.yaml'), 'orchestrator')).toEqual(['orchestrator', 'first', 'second', 'last']);
  });

  it('starts every cold function at once when the cores allow it', () => {
    const started: string[] = [];
    const fns = ['orchestrator', 'a', 'b', 'c'].map((fn) => countingPool(fn, started));
    const activator = createGraphActivator({ pools: new Map(fns.map((f) => [f.pool.name, f.pool])), order: ['orchestrator', 'a', 'b', 'c'], maxParallel: 8, clock: new ManualClock() });
    activator.activate();
    expect(started).toEqual(['orchestrator', 'a', 'b', 'c']);
  });

  it('starts at most maxParallel at a time, in order, and the next one as soon as a start slot frees up', () => {
    const started: string[] = [];
    const clock = new ManualClock();
    const fns = Object.fromEntries(['orchestrator', 'a', 'b', 'c'].map((fn) => [fn, countingPool(fn, started)]));
    const pools = new Map(Object.values(fns).map((f) => [f.pool.name, f.pool]));
    const activator = createGraphActivator({ pools, order: ['orchestrator', 'a', 'b', 'c'], maxParallel: 2, pollMs: 10, clock });
    activator.activate();
    expect(started).toEqual(['orchestrator', 'a']);
    activator.activate(); // while one runs: nothing more
    clock.advance(50);
    expect(started).toEqual(['orchestrator', 'a']);
    fns.a!.ready();
    clock.advance(10);
    expect(started).toEqual(['orchestrator', 'a', 'b']);
    fns.orchestrator!.ready();
    clock.advance(10);
    expect(started).toEqual(['orchestrator', 'a', 'b', 'c']);
    expect(clock.pending()).toBe(0);
  });

  it('skips functions that are warm or already starting, also when their turn comes late', () => {
    const started: string[] = [];
    const clock = new ManualClock();
    const fns = Object.fromEntries(['orchestrator', 'a', 'b'].map((fn) => [fn, countingPool(fn, started)]));
    fns.a!.warm();
    const pools = new Map(Object.values(fns).map((f) => [f.pool.name, f.pool]));
    const activator = createGraphActivator({ pools, order: ['orchestrator', 'a', 'b'], maxParallel: 1, clock });
    activator.activate();
    expect(started).toEqual(['orchestrator']);
    // The orchestrator calls b before its turn: b's own request starts it.
    fns.b!.pool.activate();
    fns.orchestrator!.ready();
    clock.advance(100);
    expect(started).toEqual(['orchestrator', 'b']);
  });

  it('stop() drops what is still waiting', () => {
    const started: string[] = [];
    const clock = new ManualClock();
    const fns = ['orchestrator', 'a'].map((fn) => countingPool(fn, started));
    const activator = createGraphActivator({ pools: new Map(fns.map((f) => [f.pool.name, f.pool])), order: ['orchestrator', 'a'], maxParallel: 1, clock });
    activator.activate();
    activator.stop();
    fns[0]!.ready();
    clock.advance(100);
    expect(started).toEqual(['orchestrator']);
    expect(clock.pending()).toBe(0);
  });
});
