/** Which payloads the graph's and nodes' loggers take, and what each event says (the sender is a recorder here). */
import { describe, expect, it } from 'vitest';
import { createPayloadLogging } from '../../../runtime/orchestrator/payload-logging.ts';
import type { PayloadEvent, PayloadLogSender } from '../../../runtime/payload-log/index.ts';
import type { PayloadLoggerMode } from '../../../runtime/plan/types.ts';
import { seedPlan } from '../render/seed-plan.ts';

function recorder() {
  const sent: Array<{ url: string; event: PayloadEvent; body: unknown }> = [];
  const sender: PayloadLogSender = {
    send: (url, event, body) => void sent.push({ url, event, body }),
    flush: async () => {},
    stats: () => ({ sent: sent.length, failed: 0, dropped: 0, pending: 0 }),
  };
  return { sent, sender };
}

let ids = 0;
const fixed = { now: () => new Date('2026-11-25T12:00:00Z'), newId: () => `id-${++ids}` };

function logged(graphMode?: PayloadLoggerMode, nodeMode?: PayloadLoggerMode) {
  const plan = seedPlan();
  if (graphMode) plan.logger = { url: 'http://sink/graph', mode: graphMode };
  if (nodeMode) plan.nodes.bandit!.logger = { url: 'http://sink/bandit', mode: nodeMode };
  const { sent, sender } = recorder();
  const logging = createPayloadLogging(plan, sender, fixed);
  const everything = () => {
    logging?.graph('request', 'seldon', '/api/v1.0/predictions', 'p1', { data: 1 });
    logging?.graph('response', 'seldon', '/api/v1.0/predictions', 'p1', { data: 2 });
    logging?.graph('feedback', 'seldon', '/api/v1.0/feedback', 'p1', { reward: 1 });
    logging?.node(plan.nodes.bandit!, 'request', '/route', 'p1', { data: 3 });
    logging?.node(plan.nodes.bandit!, 'response', '/route', 'p1', { data: 4 });
    logging?.node(plan.nodes.features!, 'request', '/transform-input', 'p1', { data: 5 });
    return sent.map((s) => `${s.url} ${s.event.kind}`);
  };
  return { logging, sent, everything, plan };
}

describe('createPayloadLogging', () => {
  it('is absent when nothing has a logger', () => {
    expect(logged().logging).toBeUndefined();
  });

  it('takes what each mode asks for: all; request (and feedback); response', () => {
    expect(logged('all').everything()).toEqual(['http://sink/graph request', 'http://sink/graph response', 'http://sink/graph feedback']);
    expect(logged('request').everything()).toEqual(['http://sink/graph request', 'http://sink/graph feedback']);
    expect(logged('response').everything()).toEqual(['http://sink/graph response']);
    expect(logged(undefined, 'all').everything()).toEqual(['http://sink/bandit request', 'http://sink/bandit response']);
    expect(logged(undefined, 'request').everything()).toEqual(['http://sink/bandit request']);
    const { logging } = logged('response');
    expect([logging?.graphWants('request'), logging?.graphWants('response'), logging?.graphWants('feedback')]).toEqual([false, true, false]);
  });

  it('describes the graph\'s events and a node\'s', () => {
    const { sent, everything, plan } = logged('all', 'all');
    everything();
    expect(sent[0]!.event).toEqual({
      kind: 'request',
      id: expect.stringMatching(/^id-\d+$/),
      source: `/switchyard/${plan.namespace}/${plan.graph}`,
      time: new Date('2026-11-25T12:00:00Z'),
      requestId: 'p1',
      modelId: plan.graph,
      graph: plan.graph,
      namespace: plan.namespace,
      endpoint: '/api/v1.0/predictions',
      protocol: 'seldon',
      traceparent: undefined,
    });
    const node = sent.find((s) => s.url === 'http://sink/bandit')!;
    expect(node.event).toMatchObject({ source: `/switchyard/${plan.namespace}/${plan.graph}/nodes/bandit`, modelId: 'bandit', endpoint: '/route' });
    expect(node.body).toEqual({ data: 3 });
  });
});
