/**
 * Graph-aware activation from the orchestrator, over a recording fetch and a manual clock: which functions a request
 * wakes, after how long an idle spell, with what.
 */
import { describe, expect, it } from 'vitest';
import { createGraphActivation } from '../../../runtime/orchestrator/graph-activation.ts';
import type { DeploymentPlan } from '../../../runtime/plan/types.ts';
import { seedPlan } from '../render/seed-plan.ts';

const ENDPOINTS = { orchestrator: 'http://orchestrator', features: 'http://features', 'good-model': 'http://good', 'weak-model': 'http://weak' };

/** The seed plan: features wait 60 s (stable window) before they may be at zero, the models 60 s + a 30 s scale-down delay. */
function plan(): DeploymentPlan {
  const p = seedPlan();
  for (const fn of Object.values(p.functions)) fn.scaling = { ...fn.scaling, minScale: 0, stableWindowMs: 60_000, scaleDownDelayMs: 0 };
  p.functions['good-model']!.scaling.scaleDownDelayMs = 30_000;
  p.functions['weak-model']!.scaling.scaleDownDelayMs = 30_000;
  return p;
}

function harness(p: DeploymentPlan, mode: 'graph' | 'cascade' = 'graph') {
  let now = 0;
  const pings: Array<{ url: string; headers: Record<string, string> }> = [];
  const woken: Array<{ functions: string[]; idleMs: number }> = [];
  const activation = createGraphActivation({
    plan: p,
    endpoints: ENDPOINTS,
    mode,
    now: () => now,
    fetchImpl: (async (url: string, init: RequestInit) => {
      pings.push({ url, headers: init.headers as Record<string, string> });
      return new Response('pong');
    }) as typeof fetch,
    onWake: (functions, idleMs) => woken.push({ functions, idleMs }),
  });
  return { activation, pings, woken, advance: (ms: number) => (now += ms) };
}

describe('graph activation', () => {
  it('wakes every function that may sleep on the first request, marked as a wake, with the caller\'s authorization only', () => {
    const { activation, pings, woken } = harness(plan());
    activation.onRequest({ authorization: 'Bearer t', traceparent: '00-1-2-01', 'x-other': 'no' });
    expect(pings.map((p) => p.url).sort()).toEqual(['http://features/health/ping', 'http://good/health/ping', 'http://weak/health/ping']);
    for (const ping of pings) expect(ping.headers).toEqual({ 'x-switchyard-wake': '1', authorization: 'Bearer t' });
    expect(woken).toEqual([{ functions: expect.arrayContaining(['features', 'good-model', 'weak-model']), idleMs: Number.POSITIVE_INFINITY }]);
  });

  it('wakes nothing under steady traffic, and after an idle spell only what may be at zero by then', () => {
    const { activation, pings, advance } = harness(plan());
    activation.onRequest();
    pings.length = 0;
    for (let i = 0; i < 10; i++) {
      advance(50_000);
      activation.onRequest();
    }
    expect(pings).toEqual([]);
    // 70 s idle: past the features' 60 s, short of the models' 90 s.
    advance(70_000);
    activation.onRequest();
    expect(pings.map((p) => p.url)).toEqual(['http://features/health/ping']);
    pings.length = 0;
    advance(90_000);
    activation.onRequest();
    expect(pings.map((p) => p.url).sort()).toEqual(['http://features/health/ping', 'http://good/health/ping', 'http://weak/health/ping']);
  });

  it('leaves out functions with a minScale, the orchestrator, and nodes without a function endpoint', () => {
    const p = plan();
    p.functions['good-model']!.scaling.minScale = 1;
    const { activation, pings } = harness(p);
    expect(activation.sleepers.map((s) => s.function).sort()).toEqual(['features', 'weak-model']);
    activation.onRequest();
    expect(pings.map((p) => p.url).sort()).toEqual(['http://features/health/ping', 'http://weak/health/ping']);
    const fused = createGraphActivation({ plan: plan(), endpoints: { orchestrator: 'http://o' }, mode: 'graph', now: () => 0, fetchImpl: fetch });
    expect(fused.sleepers).toEqual([]);
  });

  it('wakes nothing in cascade mode', () => {
    const { activation, pings } = harness(plan(), 'cascade');
    activation.onRequest();
    expect(pings).toEqual([]);
  });

  it('does not let a wake that fails reach the request', async () => {
    const activation = createGraphActivation({ plan: plan(), endpoints: ENDPOINTS, mode: 'graph', now: () => 0, fetchImpl: (() => Promise.reject(new Error('refused'))) as typeof fetch });
    expect(() => activation.onRequest()).not.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 10));
  });
});
