/**
 * The orchestrator's router state when the store fails, through its real HTTP app: a real memory store behind a
 * switch that makes every call fail (or hang) like an unreachable Redis, a manual clock, and a memory logger.
 */
import { describe, expect, it } from 'vitest';
import { createOrchestrator, createOrchestratorApp, createOrchestratorMetrics } from '../../../runtime/orchestrator/index.ts';
import { createRouterRunner } from '../../../runtime/orchestrator/router-runner.ts';
import { createMemoryStore } from '../../../runtime/state/memory-store.ts';
import { StateStoreError, type StateStore } from '../../../runtime/state/types.ts';
import { seededRng } from '../../../runtime/time/rng.ts';
import { flushMicrotasks, ManualClock } from '../../helpers/manual-clock.ts';
import { seedPlan } from '../render/seed-plan.ts';

type Mode = 'up' | 'failing' | 'hanging';

/** A real memory store that, when switched off, fails each call (`failing`) or never answers (`hanging`). */
function switchable(inner: StateStore = createMemoryStore()) {
  const control = { mode: 'up' as Mode, calls: { get: 0, update: 0 } };
  const gate = <T>(op: () => Promise<T>): Promise<T> => {
    if (control.mode === 'failing') return Promise.reject(new StateStoreError('redis', 'connect ECONNREFUSED 127.0.0.1:6379'));
    if (control.mode === 'hanging') return new Promise<T>(() => {});
    return op();
  };
  const store: StateStore = {
    kind: 'redis',
    location: 'redis://127.0.0.1:6379/',
    get: (key) => (control.calls.get++, gate(() => inner.get(key))),
    update: (key, fn) => (control.calls.update++, gate(() => inner.update(key, fn))),
    once: (key, id) => gate(() => inner.once(key, id)),
    updateOnce: (key, id, fn) => (control.calls.update++, gate(() => inner.updateOnce(key, id, fn))),
    list: () => gate(() => inner.list()),
    close: () => inner.close(),
  };
  return { store, control };
}

function setup({ capacity }: { capacity?: number } = {}) {
  const clock = new ManualClock();
  const { store, control } = switchable();
  const warnings: string[] = [];
  const infos: string[] = [];
  const metrics = createOrchestratorMetrics('seed');
  const orchestrator = createOrchestrator({
    plan: seedPlan(),
    endpoints: {},
    store,
    rng: seededRng(7),
    clock,
    metrics,
    warn: (m) => warnings.push(m),
    info: (m) => infos.push(m),
    stateKeeping: { replica: 'replica-a', queue: { initialDelayMs: 1000, maxDelayMs: 4000, ...(capacity ? { capacity } : {}) } },
    fetchImpl: async () => {
      throw new Error('no node is called in these tests');
    },
  });
  const { app } = createOrchestratorApp({ orchestrator, metrics });
  const feedback = async (puid: string, arm: number, reward = 1) => {
    const response = await app.request('/api/v1.0/feedback', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response: { meta: { puid, routing: { bandit: arm } } }, reward }),
    });
    return { status: response.status, body: (await response.json()) as any };
  };
  const routers = async () => (await (await app.request('/api/v1.0/routers')).json()) as any;
  const scrape = async () => (await app.request('/metrics')).text();
  return { clock, control, warnings, infos, orchestrator, app, feedback, routers, scrape };
}

describe('router state while the store is unavailable', () => {
  it('answers feedback 202 "queued", lists it, and applies it once when the store is back', async () => {
    const t = setup();
    expect((await t.feedback('p1', 0)).status).toBe(200);

    t.control.mode = 'failing';
    const queued = await t.feedback('p2', 0);
    expect(queued.status).toBe(202);
    expect(queued.body.status).toMatchObject({ code: 202, status: 'SUCCESS', reason: 'QUEUED' });
    expect(queued.body.status.info).toMatch(/state store is unavailable: reward 1 for bandit arm 0 is queued \(1 pending on this replica\)/);
    expect(queued.body.meta).toEqual({ puid: 'p2', tags: { applied: 0, duplicate: false, queued: 1 } });
    // Known down: the next one is queued without trying the store.
    const updatesBefore = t.control.calls.update;
    expect((await t.feedback('p3', 1, 0)).status).toBe(202);
    expect(t.control.calls.update).toBe(updatesBefore);

    const view = await t.routers();
    expect(view.state).toMatchObject({
      store: 'redis',
      location: 'redis://127.0.0.1:6379/',
      shared: true,
      replica: 'replica-a',
      available: false,
      lastError: expect.stringMatching(/ECONNREFUSED/),
      feedback: { pending: 2, queuedTotal: 2, appliedTotal: 0 },
    });
    expect(view.state.feedback.pendingList.map((p: any) => [p.puid, p.arm, p.reward])).toEqual([['p2', 0, 1], ['p3', 1, 0]]);
    expect(view.routers[0]).toMatchObject({ node: 'bandit', fresh: false, totalPulls: 1 });
    expect(await t.scrape()).toMatch(/switchyard_feedback_pending\{graph="seed"\} 2/);
    expect(await t.scrape()).toMatch(/switchyard_state_store_available\{store="redis",graph="seed"\} 0/);

    t.control.mode = 'up';
    await t.clock.advanceAsync(4000);
    const after = await t.routers();
    expect(after.state).toMatchObject({ available: true, feedback: { pending: 0, queuedTotal: 2, appliedTotal: 2 } });
    expect(after.routers[0].arms.map((a: any) => [a.child, a.pulls, a.rewardSum])).toEqual([['good-model', 2, 2], ['weak-model', 1, 0]]);
    expect(after.routers[0].fresh).toBe(true);
    // Sent again now, the queued feedback is recognised as applied.
    const again = await t.feedback('p2', 0);
    expect(again.status).toBe(200);
    expect(again.body.status.info).toMatch(/already applied/);
    const text = await t.scrape();
    expect(text).toMatch(/switchyard_feedback_queued_total\{graph="seed"\} 2/);
    expect(text).toMatch(/switchyard_feedback_retried_total\{outcome="applied",graph="seed"\} 2/);
    expect(t.infos.some((m) => /reachable again/.test(m))).toBe(true);
  });

  it('answers 503 naming the limit when the queue is full, and counts the reward as dropped', async () => {
    const t = setup({ capacity: 1 });
    t.control.mode = 'failing';
    expect((await t.feedback('p1', 0)).status).toBe(202);
    const full = await t.feedback('p2', 1);
    expect(full.status).toBe(503);
    expect(full.body.status).toMatchObject({ code: 503, status: 'FAILURE' });
    expect(full.body.status.info).toMatch(/unavailable and 1 rewards already wait on this replica \(the limit\).*send this feedback again later/);
    const view = await t.routers();
    expect(view.state.feedback).toMatchObject({ pending: 1, droppedTotal: { full: 1 } });
    expect(view.state.feedback.droppedList).toEqual([expect.objectContaining({ puid: 'p2', reason: 'full' })]);
    expect(await t.scrape()).toMatch(/switchyard_feedback_dropped_total\{reason="full",graph="seed"\} 1/);
  });

  it('a bad routing index is still a 400, whatever the store', async () => {
    const t = setup();
    const bad = await t.feedback('p1', 5);
    expect(bad.status).toBe(400);
    expect(bad.body.status.info).toMatch(/routing index 5 is out of range/);
  });

  it('close() applies what is queued, or reports it lost', async () => {
    const t = setup();
    t.control.mode = 'failing';
    await t.feedback('p1', 0);
    await t.feedback('p2', 0);
    await t.orchestrator.close(1000);
    expect(t.warnings.at(-1)).toMatch(/2 rewards could not be applied .* dropped \(shutdown\): puids p1 p2/);
  });
});

describe('decisions while the store is unavailable', () => {
  it('go on with the last known state, read the store at most once per cacheMs, and warn once, then every 30 s', async () => {
    const clock = new ManualClock();
    const { store, control } = switchable();
    const warnings: string[] = [];
    const infos: string[] = [];
    const plan = seedPlan();
    const bandit = plan.nodes.bandit!;
    const { createStateHealth } = await import('../../../runtime/orchestrator/state-health.ts');
    const health = createStateHealth({ clock, where: 'redis redis://127.0.0.1:6379/', warn: (m) => warnings.push(m), info: (m) => infos.push(m) });
    // epsilon 0.2; draws of 0.5 always exploit.
    const runner = createRouterRunner({ plan, store, rng: { next: () => 0.5 }, clock, cacheMs: 1000, health });
    // Teach it that weak-model (arm 1) is better, so a decision on the known state picks arm 1, not the default arm 0.
    await runner.reward(bandit, 1, 1, 'a');
    expect((await runner.decide(bandit)).arm).toBe(1);

    control.mode = 'failing';
    clock.advance(1000);
    const gets = control.calls.get;
    for (let i = 0; i < 50; i++) {
      expect((await runner.decide(bandit)).arm).toBe(1);
      clock.advance(100); // 5 s in all
    }
    expect(control.calls.get - gets).toBe(5);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/state store redis redis:\/\/127\.0\.0\.1:6379\/ is unavailable \(reading router "bandit": connect ECONNREFUSED.*predictions go on with the last known router state/);

    // A store that hangs does not hold a decision up once it is known to be down.
    control.mode = 'hanging';
    clock.advance(30_000);
    let decided = false;
    void runner.decide(bandit).then(() => (decided = true));
    await flushMicrotasks();
    expect(decided).toBe(true);

    control.mode = 'failing';
    for (let i = 0; i < 65; i++) {
      clock.advance(1000);
      await runner.decide(bandit);
      await flushMicrotasks();
    }
    // The hanging read holds the refresh; nothing more is tried, so no new warning in 65 s of requests.
    expect(warnings).toHaveLength(1);

    // A reward's failure is a StateStoreError for the caller to queue; a bad arm stays the router's own error.
    await expect(runner.reward(bandit, 0, 1, 'b')).rejects.toBeInstanceOf(StateStoreError);
    expect(warnings).toHaveLength(2);
    expect(warnings[1]).toMatch(/still unavailable after \d+\.\d s \(5 failed operations since the last warning/);
    control.mode = 'up';
    await expect(runner.reward(bandit, 9, 1, 'c')).rejects.toThrow(/arm/);
    expect(infos).toEqual([expect.stringMatching(/reachable again after/)]);
  });
});
