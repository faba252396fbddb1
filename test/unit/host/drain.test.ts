import { describe, expect, it } from 'vitest';
import { createFunctionApp } from '../../../runtime/host/app.ts';
import type { SeldonMessage } from '../../../runtime/protocol/seldon-types.ts';
import { ManualClock } from '../../helpers/manual-clock.ts';
import { bodyOf, deferred, json, modelNode } from './_nodes.ts';

const body = { data: { ndarray: [1] } };

/** A node whose predict waits until released, telling the test when each call has started. */
function slowNode() {
  const started: Array<() => void> = [];
  const releases: Array<() => void> = [];
  const node = modelNode({
    async predict(message: SeldonMessage) {
      const release = deferred<void>();
      releases.push(() => release.resolve());
      started.shift()?.();
      await release.promise;
      return message;
    },
  });
  const nextStart = () => {
    const d = deferred<void>();
    started.push(() => d.resolve());
    return d.promise;
  };
  return { node, releases, nextStart };
}

describe('drain', () => {
  it('fails readiness first, keeps serving, and resolves when in-flight requests finish', async () => {
    const clock = new ManualClock();
    const { node, releases, nextStart } = slowNode();
    const handle = createFunctionApp({ name: 'f', load: async () => node, timers: clock });
    await handle.ready;

    const firstStarted = nextStart();
    const first = handle.app.request('/predict', json(body));
    await firstStarted;

    let drained = false;
    const draining = handle.drain(30_000).then(() => (drained = true));
    expect(handle.isReady()).toBe(false);
    const status = await handle.app.request('/health/status');
    expect(status.status).toBe(503);
    expect((await bodyOf(status)).status).toMatchObject({ info: 'function "f" is draining', reason: 'draining' });
    expect((await handle.app.request('/v2/health/ready')).status).toBe(503);
    expect((await handle.app.request('/health/ping')).status).toBe(200);

    // A request that still arrives (the proxy has not seen readiness fail yet) is served, and waited for.
    const secondStarted = nextStart();
    const second = handle.app.request('/predict', json(body));
    await secondStarted;

    releases[0]?.();
    expect((await first).status).toBe(200);
    await Promise.resolve();
    expect(drained).toBe(false);
    releases[1]?.();
    expect((await second).status).toBe(200);
    await draining;
    expect(drained).toBe(true);
    expect(clock.pending()).toBe(0);
  });

  it('gives up after the timeout when a request never finishes', async () => {
    const clock = new ManualClock();
    const { node, nextStart } = slowNode();
    const handle = createFunctionApp({ name: 'f', load: async () => node, timers: clock });
    await handle.ready;
    const started = nextStart();
    void handle.app.request('/predict', json(body));
    await started;

    let drained = false;
    const draining = handle.drain(5_000).then(() => (drained = true));
    clock.advance(4_999);
    await Promise.resolve();
    expect(drained).toBe(false);
    clock.advance(1);
    await draining;
    expect(drained).toBe(true);
  });

  it('resolves at once with nothing in flight, and close() releases the node', async () => {
    const node = modelNode();
    const handle = createFunctionApp({ name: 'f', load: async () => node });
    await handle.ready;
    await handle.drain(10);
    expect(handle.isReady()).toBe(false);
    await handle.close();
    expect(node.closed).toBe(true);
  });
});
