/**
 * Replicas of one function, with real processes that report their pid: requests go to the replica with the
 * fewest in flight, a replica that is scaled down finishes what it holds before it stops (drain), and a
 * replica killed while it holds predictions is replaced while those predictions are retried on another one.
 *
 * The tests set the replica count through the pool, as the autoscaler does (`setDesired`); the autoscaler's
 * tick is set far out so that its own decisions stay out of the way.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startGraph, type RunningGraph } from '../helpers/graph-engine.ts';

describe('replicas of a function', () => {
  let graph: RunningGraph;
  beforeAll(async () => {
    graph = await startGraph(path.resolve('test/fixtures/engine/replicas.yaml'), { engine: { tickMs: 600_000 } });
    expect((await predict(0)).status).toBe(200);
  });
  afterAll(async () => graph?.stop());

  const predict = (ms: number) => graph.post('/api/v1.0/predictions', { data: { ndarray: [[ms]] } });
  const pidOf = (response: { body: any }) => response.body.data.ndarray[0][0] as number;
  const sleeper = () => graph.engine.status().functions.find((f) => f.function === 'sleeper')!;
  const pool = () => graph.engine.pools.get('sleeper')!;
  const scaleTo = async (n: number) => {
    pool().setDesired(n);
    await eventually(`${n} ready replicas of sleeper`, () => sleeper().ready === n && sleeper().starting === 0 && sleeper().draining === 0);
  };
  const counts = (pids: number[]) => [...pids.reduce((m, pid) => m.set(pid, (m.get(pid) ?? 0) + 1), new Map<number, number>()).values()].sort();

  it('spreads concurrent requests evenly over the replicas: fewest in flight first', async () => {
    await scaleTo(2);
    const responses = await Promise.all(Array.from({ length: 8 }, () => predict(300)));
    expect(responses.map((r) => r.status)).toEqual(Array(8).fill(200));
    const pids = responses.map(pidOf);
    expect(new Set(pids)).toEqual(new Set(sleeper().replicas.map((r) => r.pid)));
    expect(counts(pids)).toEqual([4, 4]);
  });

  it('sends requests to the idle replica while the other one is busy', async () => {
    const busy = predict(1000);
    await eventually('one request in flight', () => sleeper().inflight === 1);
    const busyPid = sleeper().replicas.find((r) => r.inflight === 1)!.pid;
    const quick: number[] = [];
    for (let i = 0; i < 4; i++) quick.push(pidOf(await predict(0)));
    expect(quick.every((pid) => pid !== busyPid)).toBe(true);
    expect(new Set(quick).size).toBe(1);
    expect(pidOf(await busy)).toBe(busyPid);
  });

  it('drains a replica that is scaled down: it finishes every request it holds, and takes no new one', async () => {
    await scaleTo(4);
    const original = new Set(sleeper().replicas.map((r) => r.pid));
    const held = Array.from({ length: 4 }, () => predict(1000));
    await eventually('four requests in flight, one per replica', () => sleeper().replicas.every((r) => r.inflight === 1));
    pool().setDesired(1);
    expect(sleeper()).toMatchObject({ desired: 1, ready: 1, draining: 3 });
    const survivor = sleeper().replicas.find((r) => r.state === 'ready')!.pid;
    const draining = sleeper().replicas.filter((r) => r.state === 'draining').map((r) => r.pid);

    // New requests during the drain go to the replica that stays, even when it is the busiest.
    const during = await Promise.all([predict(300), predict(300), predict(300)]);
    expect(during.map(pidOf)).toEqual([survivor, survivor, survivor]);

    const responses = await Promise.all(held);
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    // Each was answered by the replica it started on, not retried elsewhere: four different, original pids.
    const pids = responses.map(pidOf);
    expect(new Set(pids)).toEqual(original);
    expect(responses.map((r) => r.body.data.ndarray[0][1])).toEqual([1000, 1000, 1000, 1000]);

    await eventually('the drained replicas stopped', () => sleeper().replicas.length === 1);
    expect(sleeper()).toMatchObject({ ready: 1, draining: 0, failures: 0 });
    for (const pid of draining) expect(() => process.kill(pid!, 0)).toThrow();
    expect(graph.logs.filter((line) => /sleeper: replica \d+ draining/.test(line))).toHaveLength(3);
    expect(graph.logs.some((line) => /exited unexpectedly/.test(line))).toBe(false);
  });

  it('replaces a replica killed while it holds predictions, and answers those predictions from another replica', async () => {
    await scaleTo(2);
    const held = Array.from({ length: 4 }, () => predict(1500));
    await eventually('two requests in flight on each replica', () => sleeper().replicas.every((r) => r.inflight === 2));
    const [victim, other] = sleeper().replicas.map((r) => r.pid!);
    process.kill(victim!, 'SIGKILL');

    const responses = await Promise.all(held);
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const pids = responses.map(pidOf);
    expect(pids).not.toContain(victim);
    // The two it held were retried once, on the replica still up (the replacement was still starting).
    expect(pids.filter((pid) => pid === other)).toHaveLength(4);

    await eventually('a replacement replica is ready', () => sleeper().ready === 2 && sleeper().starting === 0);
    expect(sleeper().replicas.map((r) => r.pid)).not.toContain(victim);
    expect(graph.logs.some((line) => /sleeper: replica \d+ starting$/.test(line))).toBe(true);
  });
});
