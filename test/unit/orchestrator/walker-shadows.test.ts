/**
 * The walker's shadows, over a recording node client: what a shadow is given, what the client's answer keeps, and
 * the bound on shadow walks in flight.
 */
import { describe, expect, it } from 'vitest';
import { createWalker, type ShadowOutcome } from '../../../runtime/orchestrator/walker.ts';
import { createRouterRunner } from '../../../runtime/orchestrator/router-runner.ts';
import type { NodeClient } from '../../../runtime/orchestrator/node-client.ts';
import { createMemoryStore } from '../../../runtime/state/memory-store.ts';
import { seededRng } from '../../../runtime/time/rng.ts';
import type { DeploymentPlan } from '../../../runtime/plan/types.ts';
import type { SeldonMessage } from '../../../runtime/protocol/seldon-types.ts';
import { ManualClock } from '../../helpers/manual-clock.ts';
import { seedPlan } from '../render/seed-plan.ts';

/** The seed plan with `candidate` (a copy of weak-model) shadowing features. */
function shadowedPlan(): DeploymentPlan {
  const plan = seedPlan();
  plan.nodes.candidate = { ...plan.nodes['weak-model']!, name: 'candidate', function: 'candidate' };
  plan.nodes.features!.shadows = ['candidate'];
  plan.nodes.bandit!.implementation = { kind: 'router', router: 'epsilon-greedy', parameters: { epsilon: 0 } };
  return plan;
}

interface Call {
  node: string;
  path: string;
  body: SeldonMessage;
}

/** Answers each call with its input plus a tag naming the node; `candidate` waits for `release` and may fail. */
function recordingClient(options: { failCandidate?: boolean } = {}) {
  const calls: Call[] = [];
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const client: NodeClient = {
    async call(node, path, body) {
      calls.push({ node: node.name, path, body: structuredClone(body) as SeldonMessage });
      if (node.name === 'candidate') {
        await released;
        if (options.failCandidate) throw new Error('candidate failed');
      }
      const message = body as SeldonMessage;
      return { ...message, meta: { tags: { [`seen-by-${node.name}`]: true } } };
    },
  };
  return { calls, client, release };
}

const answers: Array<{ node: string; shadow: string; answer: SeldonMessage; shadowAnswer: SeldonMessage }> = [];

function walkerFor(plan: DeploymentPlan, client: NodeClient, outcomes: ShadowOutcome[], maxShadowsInFlight?: number) {
  const routers = createRouterRunner({ plan, store: createMemoryStore(), rng: seededRng(1), clock: new ManualClock() });
  answers.length = 0;
  return createWalker({
    plan,
    client,
    routers,
    onShadow: (o) => outcomes.push(o),
    onShadowAnswer: (node, shadow, answer, shadowAnswer) => void answers.push({ node, shadow, answer, shadowAnswer }),
    ...(maxShadowsInFlight === undefined ? {} : { maxShadowsInFlight }),
  });
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('walker: shadows', () => {
  it('gives the shadow a copy of the node\'s input, and answers without it', async () => {
    const { calls, client, release } = recordingClient();
    const outcomes: ShadowOutcome[] = [];
    const walker = walkerFor(shadowedPlan(), client, outcomes);
    const request = { data: { ndarray: [[1, 2, 3, 4]] }, meta: { tags: { user: 'u1' } } };
    // The candidate has not answered (it waits for release): the walk finishes all the same.
    const { response } = await walker.run(request, { puid: 'p1' });
    expect(Object.keys(response.meta!.requestPath!)).toEqual(['features', 'bandit', 'good-model']);
    expect(response.meta!.tags).toEqual({ user: 'u1', 'seen-by-features': true, 'seen-by-good-model': true });
    const candidate = calls.find((c) => c.node === 'candidate')!;
    const features = calls.find((c) => c.node === 'features')!;
    expect(candidate.path).toBe('/predict');
    expect(candidate.body).toEqual(features.body);
    expect(candidate.body.meta).toEqual({ puid: 'p1', tags: { user: 'u1' } });
    expect(outcomes).toEqual([]);
    release();
    await settle();
    expect(outcomes).toEqual([{ of: 'features', shadow: 'candidate', outcome: 'ok' }]);
    // The node's answer (features, after its subtree: the whole walk below it) and the shadow's, to compare.
    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatchObject({ node: 'features', shadow: 'candidate' });
    expect(answers[0]!.answer.data).toEqual(response.data);
    expect(answers[0]!.shadowAnswer.meta?.tags).toEqual({ user: 'u1', 'seen-by-candidate': true });
  });

  it('keeps a failing shadow from the client, and says so to onShadow', async () => {
    const { client, release } = recordingClient({ failCandidate: true });
    const outcomes: ShadowOutcome[] = [];
    const walker = walkerFor(shadowedPlan(), client, outcomes);
    release();
    const { response } = await walker.run({ data: { ndarray: [[1, 2, 3, 4]] } }, { puid: 'p2' });
    expect(response.data).toEqual({ ndarray: [[1, 2, 3, 4]] });
    await settle();
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).toMatchObject({ of: 'features', shadow: 'candidate', outcome: 'failed' });
    expect(String(outcomes[0]!.error)).toContain('candidate failed');
    // A shadow that failed has no answer to compare.
    expect(answers).toEqual([]);
  });

  it('skips a shadow when maxShadowsInFlight are already running', async () => {
    const { calls, client, release } = recordingClient();
    const outcomes: ShadowOutcome[] = [];
    const walker = walkerFor(shadowedPlan(), client, outcomes, 2);
    for (let i = 0; i < 3; i++) await walker.run({ data: { ndarray: [[i, 0, 0, 0]] } }, { puid: `p${i}` });
    expect(calls.filter((c) => c.node === 'candidate')).toHaveLength(2);
    expect(outcomes).toEqual([{ of: 'features', shadow: 'candidate', outcome: 'skipped' }]);
    release();
    await settle();
    expect(outcomes.filter((o) => o.outcome === 'ok')).toHaveLength(2);
    await walker.run({ data: { ndarray: [[9, 0, 0, 0]] } }, { puid: 'p9' });
    expect(calls.filter((c) => c.node === 'candidate')).toHaveLength(3);
  });
});
