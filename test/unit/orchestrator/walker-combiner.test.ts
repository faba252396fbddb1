/**
 * The walker's COMBINER nodes over a recording node client: a combiner that is not a built-in (a user component,
 * a remote microservice) is called once, on /aggregate, with every child's answer as a SeldonMessageList, and its
 * answer is the node's; a built-in combiner makes no call at all.
 */
import { describe, expect, it } from 'vitest';
import { createWalker } from '../../../runtime/orchestrator/walker.ts';
import { createRouterRunner } from '../../../runtime/orchestrator/router-runner.ts';
import type { NodeClient } from '../../../runtime/orchestrator/node-client.ts';
import { createMemoryStore } from '../../../runtime/state/memory-store.ts';
import { seededRng } from '../../../runtime/time/rng.ts';
import type { DeploymentPlan, PlanNode } from '../../../runtime/plan/types.ts';
import type { SeldonMessage, SeldonMessageList } from '../../../runtime/protocol/seldon-types.ts';
import { ManualClock } from '../../helpers/manual-clock.ts';
import { seedPlan } from '../render/seed-plan.ts';

/** The seed plan's two models under a COMBINER `ensemble` (the root), implemented as `implementation`. */
function combinerPlan(implementation: PlanNode['implementation']): DeploymentPlan {
  const plan = seedPlan();
  const model = plan.nodes['good-model']!;
  plan.nodes = {
    ensemble: { ...model, name: 'ensemble', type: 'COMBINER', function: 'ensemble', implementation, children: ['good-model', 'weak-model'] },
    'good-model': plan.nodes['good-model']!,
    'weak-model': plan.nodes['weak-model']!,
  };
  plan.root = 'ensemble';
  return plan;
}

function recordingClient() {
  const calls: Array<{ node: string; path: string; body: unknown }> = [];
  const client: NodeClient = {
    async call(node, path, body) {
      calls.push({ node: node.name, path, body: structuredClone(body) });
      if (path === '/aggregate') {
        const list = body as SeldonMessageList;
        return { data: { ndarray: [list.seldonMessages.map((m) => (m.data!.ndarray as number[][])[0]![0])] } } as SeldonMessage;
      }
      return { data: { ndarray: [[node.name === 'good-model' ? 1 : 2]] } } as SeldonMessage;
    },
  };
  return { calls, client };
}

function walkerFor(plan: DeploymentPlan, client: NodeClient) {
  const routers = createRouterRunner({ plan, store: createMemoryStore(), rng: seededRng(1), clock: new ManualClock() });
  return createWalker({ plan, client, routers });
}

describe('walker: combiners', () => {
  it('calls a component combiner once, on /aggregate, with the children\'s answers in their order', async () => {
    const { calls, client } = recordingClient();
    const walker = walkerFor(combinerPlan({ kind: 'component', module: 'combine.ts', methods: ['aggregate'], parameters: {} }), client);
    const { response } = await walker.run({ data: { ndarray: [[0.1, 0.2, 0.3, 0.4]] } }, { puid: 'p1' });
    const aggregates = calls.filter((c) => c.path === '/aggregate');
    expect(aggregates).toHaveLength(1);
    expect((aggregates[0]!.body as SeldonMessageList).seldonMessages.map((m) => m.data)).toEqual([{ ndarray: [[1]] }, { ndarray: [[2]] }]);
    expect(response.data).toEqual({ ndarray: [[1, 2]] });
    expect(calls.map((c) => c.node)).toEqual(['good-model', 'weak-model', 'ensemble']);
  });

  it('answers kserve-ensemble with each child\'s answer in KServe V1\'s form, by child name, without a call', async () => {
    const { calls, client } = recordingClient();
    const walker = walkerFor(combinerPlan({ kind: 'combiner', combiner: 'kserve-ensemble' }), client);
    const { response } = await walker.run({ data: { ndarray: [[0.1, 0.2, 0.3, 0.4]] } }, { puid: 'p1' });
    expect(calls.map((c) => c.path)).toEqual(['/predict', '/predict']);
    expect(response.jsonData).toEqual({ 'good-model': { predictions: [[1]] }, 'weak-model': { predictions: [[2]] } });
  });

  it('runs a built-in combiner in the walker, without a call', async () => {
    const { calls, client } = recordingClient();
    const walker = walkerFor(combinerPlan({ kind: 'combiner', combiner: 'mean' }), client);
    const { response } = await walker.run({ data: { ndarray: [[0.1, 0.2, 0.3, 0.4]] } }, { puid: 'p1' });
    expect(calls.map((c) => c.path)).toEqual(['/predict', '/predict']);
    expect(response.data).toEqual({ ndarray: [[1.5]] });
  });
});
