import { describe, expect, it } from 'vitest';
import { loadComponentNode } from '../../../runtime/component/load.ts';
import type { Component } from '../../../runtime/component/types.ts';
import type { LoadedNode } from '../../../runtime/host/types.ts';
import { createMemoryLogger } from '../../../runtime/log.ts';
import { ProtocolError } from '../../../runtime/protocol/errors.ts';
import type { SeldonMessage, SeldonMetric } from '../../../runtime/protocol/seldon-types.ts';
import * as badRouter from '../../fixtures/components/bad-router.ts';
import * as classifier from '../../fixtures/components/classifier.ts';
import * as combiner from '../../fixtures/components/combiner.ts';
import * as defaultClass from '../../fixtures/components/default-class.ts';
import * as doubler from '../../fixtures/components/doubler.ts';
import * as failing from '../../fixtures/components/failing.ts';
import * as failingInit from '../../fixtures/components/failing-init.ts';
import * as noMethods from '../../fixtures/components/no-methods.ts';
import { componentNode } from '../../fixtures/components/plan-node.ts';
import * as rawModel from '../../fixtures/components/raw-model.ts';
import * as router from '../../fixtures/components/router.ts';
import * as transformer from '../../fixtures/components/transformer.ts';

const asComponent = (module: object): Component => module as Component;

async function rejectionOf(promise: Promise<unknown>): Promise<ProtocolError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ProtocolError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('checking the module against its node', () => {
  it.each([
    { type: 'MODEL' as const, message: 'node "m" is a MODEL, so its component ./components/m.ts must export predict (or predictRaw) (its predict is a number, not a function); it exports transformInput' },
    { type: 'ROUTER' as const, message: 'node "m" is a ROUTER, so its component ./components/m.ts must export route; it exports transformInput' },
    { type: 'COMBINER' as const, message: 'must export aggregate (or aggregateRaw)' },
    { type: 'OUTPUT_TRANSFORMER' as const, message: 'must export transformOutput (or transformOutputRaw)' },
  ])('a $type without its method is refused, naming node, method and file', async ({ type, message }) => {
    const err = await rejectionOf(loadComponentNode(asComponent(noMethods), componentNode('m', type)));
    expect(err.message).toContain(message);
    expect(err.node).toBe('m');
    expect(err.reason).toBe('load_failed');
  });

  it('accepts a TRANSFORMER from the same module', async () => {
    const node = await loadComponentNode(asComponent(noMethods), componentNode('t', 'TRANSFORMER'));
    expect(Object.keys(node.handlers).sort()).toEqual(['metadata', 'transformInput']);
  });

  it('accepts the Raw variant', async () => {
    const node = await loadComponentNode({ predictRaw: (m: SeldonMessage) => m }, componentNode('r', 'MODEL'));
    expect(node.handlers.predict).toBeTypeOf('function');
  });

  it('uses a default-exported class', async () => {
    const node = await loadComponentNode(asComponent(defaultClass), componentNode('c', 'MODEL'));
    expect(await node.handlers.predict?.({ data: { ndarray: [1, 2] } })).toEqual({ data: { ndarray: [11, 12] } });
  });

  it('reports a failing init with node, file and message', async () => {
    const err = await rejectionOf(loadComponentNode(asComponent(failingInit), componentNode('fi', 'MODEL')));
    expect(err.message).toBe('node "fi": init in ./components/fi.ts failed: missing weights file');
    expect(err.status).toBe(500);
  });
});

describe('a MODEL component', () => {
  let node: LoadedNode;
  const recorded: SeldonMetric[] = [];

  it('loads with its parameters', async () => {
    node = await loadComponentNode(asComponent(doubler), componentNode('double', 'MODEL', { parameters: { factor: 3 } }));
    node.setMetricsSink?.((m) => recorded.push(...m));
    expect(node.name).toBe('double');
  });

  it('answers a tensor with a tensor, t:i names, merged tags, its metrics and the request meta', async () => {
    const answer = await node.handlers.predict?.({
      data: { names: ['a', 'b'], tensor: { shape: [1, 2], values: [1, 2] } },
      meta: { puid: 'p1', tags: { from: 'client' }, metrics: [{ key: 'upstream', type: 'COUNTER', value: 1 }] },
    });
    expect(answer).toEqual({
      data: { names: ['t:0', 't:1'], tensor: { shape: [1, 2], values: [3, 6] } },
      meta: {
        puid: 'p1',
        tags: { from: 'client', doubled: true },
        metrics: [
          { key: 'doubler_calls_total', type: 'COUNTER', value: 1 },
          { key: 'doubler_factor', type: 'GAUGE', value: 3, tags: { kind: 'scale' } },
          { key: 'doubler_time', type: 'TIMER', value: 20 },
        ],
      },
    });
    expect(doubler.lastContext).toEqual({ names: ['a', 'b'], meta: expect.objectContaining({ puid: 'p1' }), parameters: { factor: 3 } });
    expect(recorded.map((m) => m.key)).toEqual(['doubler_calls_total', 'doubler_factor', 'doubler_time']);
  });

  it('answers an ndarray with an ndarray, and jsonData / strData in kind', async () => {
    expect((await node.handlers.predict?.({ data: { ndarray: [[1, 2]] } }))?.data).toEqual({ names: ['t:0', 't:1'], ndarray: [[3, 6]] });
    expect((await node.handlers.predict?.({ data: { ndarray: [1, 2] } }))?.data).toEqual({ ndarray: [3, 6] });
    expect((await node.handlers.predict?.({ jsonData: { a: 1 } }))?.jsonData).toEqual({ a: 1 });
    expect((await node.handlers.predict?.({ strData: 'x' }))?.strData).toBe('x');
  });

  it('has health and metadata combined with defaults', async () => {
    expect(await node.handlers.health?.()).toBe(true);
    const metadata = await node.handlers.metadata();
    expect(metadata).toEqual({
      name: 'double',
      platform: 'switchyard-component',
      versions: ['v1'],
      inputs: [{ name: 'x', datatype: 'FP32', shape: [-1, 2] }],
      outputs: [{ name: 'y', datatype: 'FP32', shape: [-1, 2] }],
      custom: {
        module: './components/double.ts',
        type: 'MODEL',
        methods: ['init', 'predict', 'health', 'metadata', 'metrics', 'tags'],
        author: 'tests',
        calls: 5,
      },
    });
    expect(node.handlers.transformInput).toBeUndefined();
    expect(node.handlers.route).toBeUndefined();
  });

  it('uses classNames() for data.names', async () => {
    const loaded = await loadComponentNode(asComponent(classifier), componentNode('cls', 'MODEL'));
    expect(await loaded.handlers.predict?.({ data: { tensor: { shape: [1, 1], values: [0.25] } } })).toEqual({
      data: { names: ['yes', 'no'], tensor: { shape: [1, 2], values: [0.25, 0.75] } },
    });
  });

  it('passes whole messages to predictRaw', async () => {
    const loaded = await loadComponentNode(asComponent(rawModel), componentNode('raw', 'MODEL'));
    expect(await loaded.handlers.predict?.({ data: { ndarray: [1] }, meta: { puid: 'x' } })).toEqual({ strData: 'raw:{"ndarray":[1]}', meta: { tags: { raw: true } } });
  });
});

describe('errors in user code', () => {
  const load = () => loadComponentNode(asComponent(failing), componentNode('fail', 'MODEL'));

  it.each([
    { name: 'a 4xx error keeps its status and field', message: { strData: 'x' }, status: 400, field: 'data.ndarray', text: 'node "fail": predict rejected the request: expected rows of numbers, got string' },
    { name: 'an Error is a 500 naming node, method, file', message: { data: { ndarray: ['boom'] } }, status: 500, text: 'node "fail": predict in ./components/fail.ts threw: kaput' },
    { name: 'a thrown string', message: { data: { ndarray: ['string'] } }, status: 500, text: 'threw: a non-Error value was thrown: "a bare string"' },
    { name: 'a NaN result', message: { data: { ndarray: ['nan'] } }, status: 500, text: 'node "fail": predict in ./components/fail.ts returned a value that cannot be sent: data.ndarray[0]: result is NaN' },
    { name: 'an undefined result', message: { data: { ndarray: ['undefined'] } }, status: 500, text: 'returned a value that cannot be sent: expected a result' },
  ])('$name', async ({ message, status, field, text }) => {
    const node = await load();
    const err = await rejectionOf(node.handlers.predict!(message as SeldonMessage));
    expect(err.status).toBe(status);
    expect(err.node).toBe('fail');
    expect(err.message).toContain(text);
    if (field !== undefined) expect(err.field).toBe(field);
  });

  it('rejects a request without payload with a 400', async () => {
    const node = await load();
    expect((await rejectionOf(node.handlers.predict!({ meta: {} }))).status).toBe(400);
  });

  it('a health() that throws rejects (the host treats it as unhealthy); a bad metadata() is ignored with a warning', async () => {
    const { log, lines } = createMemoryLogger('t');
    const node = await loadComponentNode(asComponent(failing), componentNode('fail', 'MODEL'), { log });
    await expect(node.handlers.health!()).rejects.toThrow(/health in .* threw: health check exploded/);
    expect((await node.handlers.metadata()).platform).toBe('switchyard-component');
    expect(lines.some((l) => l.includes('metadata() returned string, not an object; it is ignored') && l.includes('level=warn'))).toBe(true);
  });
});

describe('TRANSFORMER and OUTPUT_TRANSFORMER', () => {
  it('transform the payload and keep the request names', async () => {
    const node = await loadComponentNode(asComponent(transformer), componentNode('tr', 'TRANSFORMER'));
    expect(await node.handlers.transformInput?.({ data: { names: ['a'], tensor: { shape: [2, 1], values: [1, 2] } }, meta: { puid: 'p' } })).toEqual({
      data: { names: ['a'], tensor: { shape: [2, 1], values: [2, 3] } },
      meta: { puid: 'p' },
    });
    expect(await node.handlers.transformOutput?.({ data: { ndarray: [[0.4, 0.6]] } })).toEqual({ data: { ndarray: [[0, 1]] } });
  });
});

describe('ROUTER', () => {
  it('answers {data: {ndarray: [[i]]}} and validates i against the children', async () => {
    const node = await loadComponentNode(asComponent(router), componentNode('r', 'ROUTER', { parameters: { default: 1 }, children: ['a', 'b'] }));
    expect(await node.handlers.route?.({ data: { ndarray: [[1]] }, meta: { puid: 'q' } })).toEqual({ data: { ndarray: [[1]] }, meta: { puid: 'q' } });
    expect(await node.handlers.route?.({ jsonData: { to: 0 } })).toEqual({ data: { ndarray: [[0]] } });
    expect(await node.handlers.route?.({ jsonData: { to: -1 } })).toEqual({ data: { ndarray: [[-1]] } });
    for (const to of [2, 'a', 0.5, -2]) {
      const err = await rejectionOf(node.handlers.route!({ jsonData: { to } }));
      expect(err.status).toBe(500);
      expect(err.message).toContain('expected an integer child index in [0, 1] (or -1)');
    }
  });

  it('refuses a fractional choice', async () => {
    const node = await loadComponentNode(asComponent(badRouter), componentNode('br', 'ROUTER'));
    const err = await rejectionOf(node.handlers.route!({ strData: 'x' }));
    expect(err.message).toBe('node "br": route in ./components/br.ts returned a value that cannot be sent: route returned 1.5; expected an integer child index (or -1)');
  });

  it('passes feedback to sendFeedback', async () => {
    const node = await loadComponentNode(asComponent(router), componentNode('r', 'ROUTER', { children: ['a', 'b'] }));
    const answer = await node.handlers.sendFeedback?.({ request: { data: { ndarray: [1] }, meta: { puid: 'f1' } }, response: { meta: { puid: 'f1' } }, reward: 1 });
    expect(answer).toEqual({ status: { code: 200, info: 'feedback accepted', reason: 'OK', status: 'SUCCESS' }, meta: { puid: 'f1' } });
    expect(router.feedbackSeen.at(-1)).toEqual({ reward: 1, puid: 'f1' });
  });
});

describe('COMBINER', () => {
  it('aggregates the payloads in the first message form, with merged tags and puid', async () => {
    const node = await loadComponentNode(asComponent(combiner), componentNode('sum', 'COMBINER'));
    const answer = await node.handlers.aggregate?.({
      seldonMessages: [
        { data: { names: ['x', 'y'], tensor: { shape: [1, 2], values: [1, 2] } }, meta: { puid: 'c', tags: { a: 1 } } },
        { data: { ndarray: [[10, 20]] }, meta: { tags: { b: 2 } } },
      ],
    });
    expect(answer).toEqual({ data: { names: ['t:0', 't:1'], tensor: { shape: [1, 2], values: [11, 22] } }, meta: { puid: 'c', tags: { a: 1, b: 2 } } });
    expect(combiner.lastNames).toEqual(['x', 'y']);
  });
});
