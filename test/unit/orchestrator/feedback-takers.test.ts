/**
 * Feedback beyond the routers, as Seldon Core's executor sends it: to the nodes on the prediction's path that take
 * feedback (a component exporting sendFeedback, a remote Seldon MODEL unit), over a recording node client; a unit
 * that serves no feedback does not fail the routers' reward. And a router's -1: every child walked, the first
 * one's answer kept.
 */
import { describe, expect, it } from 'vitest';
import { applyFeedback, feedbackReply, feedbackTakers } from '../../../runtime/orchestrator/feedback.ts';
import { NodeCallError } from '../../../runtime/orchestrator/errors.ts';
import { createRouterRunner } from '../../../runtime/orchestrator/router-runner.ts';
import { createWalker } from '../../../runtime/orchestrator/walker.ts';
import type { NodeClient } from '../../../runtime/orchestrator/node-client.ts';
import { createMemoryStore } from '../../../runtime/state/memory-store.ts';
import { seededRng } from '../../../runtime/time/rng.ts';
import type { DeploymentPlan } from '../../../runtime/plan/types.ts';
import type { SeldonMessage } from '../../../runtime/protocol/seldon-types.ts';
import { ManualClock } from '../../helpers/manual-clock.ts';
import { seedPlan } from '../render/seed-plan.ts';

/**
 * The seed plan with the features transformer and the good model as components that export sendFeedback, and the
 * weak model a remote Seldon unit; the bandit a user's router component when `componentRouter`.
 */
function learningPlan(componentRouter = false): DeploymentPlan {
  const plan = seedPlan();
  plan.nodes.features!.implementation = { kind: 'component', module: 'features.ts', methods: ['transformInput', 'sendFeedback'], parameters: {} };
  plan.nodes['good-model']!.implementation = { kind: 'component', module: 'learner.ts', methods: ['predict', 'sendFeedback'], parameters: {} };
  plan.nodes['weak-model']!.implementation = { kind: 'remote', url: 'http://weak.models:9000', protocol: 'seldon', model: 'weak-model', inputName: 'input-0', datatype: 'FP32' };
  if (componentRouter) plan.nodes.bandit!.implementation = { kind: 'component', module: 'router.ts', methods: ['route'], parameters: {} };
  return plan;
}

function recordingClient(refuse: Record<string, number> = {}) {
  const calls: Array<{ node: string; path: string }> = [];
  const client: NodeClient = {
    async call(node, path, body) {
      calls.push({ node: node.name, path });
      const status = refuse[node.name];
      if (status !== undefined) throw new NodeCallError({ status, node: node.name, function: node.function, reason: 'not_implemented', message: `node "${node.name}" has no ${path}` });
      if (path === '/route') return { data: { ndarray: [[-1]] } };
      if (path === '/predict') return { data: { ndarray: [[node.name]] } };
      return { ...(body as SeldonMessage), meta: { tags: { [`by-${node.name}`]: true } } };
    },
  };
  return { calls, client };
}

const routersOf = (plan: DeploymentPlan) => createRouterRunner({ plan, store: createMemoryStore(), rng: seededRng(1), clock: new ManualClock() });

describe('feedbackTakers', () => {
  it('follows the routing: a router\'s chosen child only, every child for -1, every child of other nodes', () => {
    const plan = learningPlan();
    expect(feedbackTakers(plan, { features: -1, bandit: 0 }).map((n) => n.name)).toEqual(['features', 'good-model']);
    expect(feedbackTakers(plan, { features: -1, bandit: 1 }).map((n) => n.name)).toEqual(['features', 'weak-model']);
    expect(feedbackTakers(plan, { features: -1, bandit: -1 }).map((n) => n.name)).toEqual(['features', 'good-model', 'weak-model']);
    // A router the routing does not name: nothing under it is known to have run.
    expect(feedbackTakers(plan, {}).map((n) => n.name)).toEqual(['features']);
  });

  it('leaves out ONNX models, components without sendFeedback and remote servers of other protocols', () => {
    const plan = seedPlan();
    plan.nodes['weak-model']!.implementation = { kind: 'remote', url: 'http://triton:8000', protocol: 'v2', model: 'weak', inputName: 'input-0', datatype: 'FP32' };
    expect(feedbackTakers(plan, { bandit: -1 })).toEqual([]);
  });
});

describe('applyFeedback beyond the routers', () => {
  it('rewards the bandit\'s arm and sends the feedback to the takers on the path, once each', async () => {
    const plan = learningPlan();
    const { calls, client } = recordingClient();
    const result = await applyFeedback({ response: { meta: { puid: 'p1', routing: { features: -1, bandit: 0 } } }, reward: 1 }, { plan, routers: routersOf(plan), client });
    expect(result.applied).toEqual([{ router: 'bandit', arm: 0 }]);
    expect(result.forwarded.sort()).toEqual(['features', 'good-model']);
    expect(calls.sort((a, b) => a.node.localeCompare(b.node))).toEqual([{ node: 'features', path: '/send-feedback' }, { node: 'good-model', path: '/send-feedback' }]);
    expect(feedbackReply(result).body.status).toMatchObject({ code: 200, info: 'reward 1 applied to bandit arm 0; sent to features, good-model' });
  });

  it('keeps the reward when a remote unit serves no feedback, and says so; another failure fails the feedback', async () => {
    const plan = learningPlan();
    const refused = recordingClient({ 'weak-model': 404 });
    const result = await applyFeedback({ response: { meta: { routing: { bandit: 1 } } }, reward: 0 }, { plan, routers: routersOf(plan), client: refused.client });
    expect(result.applied).toEqual([{ router: 'bandit', arm: 1 }]);
    expect(result.refused).toEqual([{ node: 'weak-model', why: 'node "weak-model" has no /send-feedback' }]);
    expect(feedbackReply(result).body.status).toMatchObject({ info: 'reward 0 applied to bandit arm 1; sent to features; not taken by weak-model (node "weak-model" has no /send-feedback)' });

    const failing = recordingClient({ 'weak-model': 502 });
    await expect(applyFeedback({ response: { meta: { routing: { bandit: 1 } } }, reward: 0 }, { plan, routers: routersOf(plan), client: failing.client })).rejects.toThrow(/has no \/send-feedback/);
  });

  it('accepts a router\'s -1 as its routing (no arm to reward) and sends the feedback under every child', async () => {
    const plan = learningPlan(true);
    const { calls, client } = recordingClient();
    const result = await applyFeedback({ response: { meta: { routing: { bandit: -1 } } }, reward: 1 }, { plan, routers: routersOf(plan), client });
    expect(result.applied).toEqual([]);
    expect(result.forwarded.sort()).toEqual(['features', 'good-model', 'weak-model']);
    expect(calls.map((c) => c.node)).not.toContain('bandit');
  });
});

describe('walker: a router that answers -1', () => {
  it('walks every child and answers with the first one\'s answer, routing -1', async () => {
    const plan = learningPlan(true);
    const { calls, client } = recordingClient();
    const walker = createWalker({ plan, client, routers: routersOf(plan) });
    const { response } = await walker.run({ data: { ndarray: [[1, 2, 3, 4]] } }, { puid: 'p1' });
    expect(response.meta!.routing).toEqual({ features: -1, bandit: -1 });
    expect(calls.map((c) => `${c.node} ${c.path}`).sort()).toEqual(['bandit /route', 'features /transform-input', 'good-model /predict', 'weak-model /predict']);
    expect(Object.keys(response.meta!.requestPath!).sort()).toEqual(['bandit', 'features', 'good-model', 'weak-model']);
    expect(response.data).toEqual({ ndarray: [['good-model']] });
  });
});
