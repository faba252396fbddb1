/** A component served by the function host, as a component function's entry wires it. */
import { describe, expect, it } from 'vitest';
import { loadComponentNode } from '../../../runtime/component/load.ts';
import type { Component } from '../../../runtime/component/types.ts';
import { createFunctionApp } from '../../../runtime/host/app.ts';
import * as doubler from '../../fixtures/components/doubler.ts';
import * as failingInit from '../../fixtures/components/failing-init.ts';
import * as router from '../../fixtures/components/router.ts';
import { componentNode } from '../../fixtures/components/plan-node.ts';

const post = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('a component behind the host', () => {
  it('serves predict, V2 infer, health and metadata, and exposes its metrics at /metrics', async () => {
    const node = componentNode('double', 'MODEL', { parameters: { factor: 2 } });
    const handle = createFunctionApp({ name: 'double-fn', load: () => loadComponentNode(doubler as Component, node) });
    await handle.ready;
    const predict = await handle.app.request('/predict', post({ data: { ndarray: [[1, 2]] }, meta: { puid: 'x' } }));
    expect(await predict.json()).toMatchObject({ data: { names: ['t:0', 't:1'], ndarray: [[2, 4]] }, meta: { puid: 'x', tags: { doubled: true } } });
    const infer = await handle.app.request('/v2/models/double/infer', post({ inputs: [{ name: 'x', shape: [1, 2], datatype: 'FP32', data: [1, 2] }] }));
    expect(await infer.json()).toMatchObject({ model_name: 'double', outputs: [{ shape: [1, 2], datatype: 'FP32', data: [2, 4] }], parameters: { 'tags.doubled': true } });
    expect((await handle.app.request('/v2/models/double/versions/v1')).status).toBe(200);
    expect((await handle.app.request('/route', post({ strData: 'x' }))).status).toBe(404);

    const metrics = await (await handle.app.request('/metrics')).text();
    expect(metrics).toContain('doubler_calls_total 2');
    expect(metrics).toContain('doubler_factor{kind="scale"} 2');
    expect(metrics).toContain('doubler_time_count 2');
    expect(metrics).toContain('doubler_time_sum 0.04');

    doubler.setHealthy(false);
    expect((await handle.app.request('/health/status')).status).toBe(503);
    doubler.setHealthy(true);
    expect((await handle.app.request('/health/status')).status).toBe(200);
  });

  it('a 400 from user code reaches the client as a 400 with the node named', async () => {
    const node = componentNode('r', 'ROUTER', { children: ['a', 'b'] });
    const handle = createFunctionApp({ name: 'r', load: () => loadComponentNode(router as Component, node) });
    await handle.ready;
    const ok = await handle.app.request('/route', post({ jsonData: { to: 1 } }));
    expect(await ok.json()).toEqual({ data: { ndarray: [[1]] } });
    const bad = await handle.app.request('/route', post({ jsonData: { to: 7 } }));
    expect(bad.status).toBe(500);
    expect((await bad.json() as { status: { info: string } }).status.info).toContain('node "r": route in ./components/r.ts returned a value that cannot be sent: route returned 7');
  });

  it('a failing init leaves the function unready with the reason', async () => {
    const handle = createFunctionApp({ name: 'fi', load: () => loadComponentNode(failingInit as Component, componentNode('fi', 'MODEL')) });
    await expect(handle.ready).rejects.toThrow('init in ./components/fi.ts failed: missing weights file');
    const status = await handle.app.request('/health/status');
    expect(status.status).toBe(503);
    expect((await status.json() as { status: { info: string } }).status.info).toBe(
      'function "fi" failed to load its node: node "fi": init in ./components/fi.ts failed: missing weights file',
    );
  });
});
