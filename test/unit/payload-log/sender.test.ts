/** The payload-log sender against a real HTTP server: delivery, bounds, failures and flushing. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createPayloadLogSender, serializePayload, type PayloadEvent } from '../../../runtime/payload-log/index.ts';

interface Received {
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A receiver answering `status` after `delayMs`. */
async function receiver(options: { status?: number; delayMs?: number } = {}) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() });
      setTimeout(() => res.writeHead(options.status ?? 202).end(), options.delayMs ?? 0);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { received, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const event = (n: number): PayloadEvent => ({
  kind: 'request',
  id: `event-${n}`,
  source: '/switchyard/default/seed',
  time: new Date(),
  requestId: `puid-${n}`,
  modelId: 'seed',
  graph: 'seed',
  namespace: 'default',
  endpoint: '/api/v1.0/predictions',
  protocol: 'seldon',
});

describe('createPayloadLogSender', () => {
  it('POSTs each event as a CloudEvent with its payload as the JSON body, after the caller returns', async () => {
    const sink = await receiver();
    const sender = createPayloadLogSender();
    sender.send(`${sink.url}/events`, event(1), { data: { ndarray: [[1, 2]] } });
    expect(sink.received).toHaveLength(0);
    await sender.flush(2000);
    expect(sink.received).toHaveLength(1);
    const [got] = sink.received;
    expect(got!.url).toBe('/events');
    expect(got!.headers).toMatchObject({ 'ce-id': 'event-1', 'ce-type': 'io.seldon.serving.inference.request', 'ce-requestid': 'puid-1', 'content-type': 'application/json' });
    expect(JSON.parse(got!.body)).toEqual({ data: { ndarray: [[1, 2]] } });
    expect(sender.stats()).toEqual({ sent: 1, failed: 0, dropped: 0, pending: 0 });
  });

  it('writes the body when queued, so a later change to the message does not reach the log', async () => {
    const sink = await receiver();
    const sender = createPayloadLogSender();
    const message = { data: { tensor: { shape: [2], values: new Float32Array([0.5, 1.5]) } }, meta: { tags: { a: 1 } } };
    sender.send(sink.url, event(1), message);
    message.meta.tags.a = 2;
    await sender.flush(2000);
    expect(JSON.parse(sink.received[0]!.body)).toEqual({ data: { tensor: { shape: [2], values: [0.5, 1.5] } }, meta: { tags: { a: 1 } } });
  });

  it('drops events beyond maxPending and counts them, instead of holding unbounded memory', async () => {
    const sink = await receiver({ delayMs: 200 });
    const outcomes: string[] = [];
    const warnings: string[] = [];
    const sender = createPayloadLogSender({ maxPending: 3, concurrency: 1, onOutcome: (o) => outcomes.push(o), warn: (m) => warnings.push(m) });
    for (let i = 0; i < 5; i++) sender.send(sink.url, event(i), { i });
    expect(sender.stats()).toMatchObject({ dropped: 2, pending: 3 });
    await sender.flush(5000);
    expect(sender.stats()).toEqual({ sent: 3, failed: 0, dropped: 2, pending: 0 });
    expect(sink.received.map((r) => JSON.parse(r.body).i)).toEqual([0, 1, 2]);
    expect(outcomes.filter((o) => o === 'dropped')).toHaveLength(2);
    expect(warnings[0]).toMatch(/1 event dropped because 3 events or 64 MiB were already waiting: the logger answers slower than requests arrive/);
  });

  it('drops events beyond maxPendingBytes of bodies, so large payloads cannot fill the memory', async () => {
    const sink = await receiver({ delayMs: 100 });
    const sender = createPayloadLogSender({ maxPendingBytes: 2500, concurrency: 1 });
    const image = { binData: 'x'.repeat(1000) };
    for (let i = 0; i < 4; i++) sender.send(sink.url, event(i), image);
    expect(sender.stats()).toMatchObject({ dropped: 2, pending: 2 });
    await sender.flush(3000);
    expect(sender.stats()).toEqual({ sent: 2, failed: 0, dropped: 2, pending: 0 });
    // Delivered, the bytes are free again.
    sender.send(sink.url, event(9), image);
    expect(sender.stats()).toMatchObject({ dropped: 2, pending: 1 });
    await sender.flush(3000);
  });

  it('counts a logger that refuses or is gone as failures, in one warning per period that says what to check', async () => {
    const refusing = await receiver({ status: 500 });
    let clock = 0;
    const warnings: string[] = [];
    const sender = createPayloadLogSender({ warn: (m) => warnings.push(m), warnEveryMs: 1000, now: () => clock });
    for (let i = 0; i < 3; i++) sender.send(refusing.url, event(i), {});
    await sender.flush(2000);
    expect(sender.stats()).toMatchObject({ sent: 0, failed: 3 });
    expect(warnings).toEqual([
      `payload logger: 1 event not delivered to ${refusing.url} (it answered 500): check that the logger at that URL is running and accepts POSTs. Predictions are not affected.`,
    ]);
    clock = 1500;
    sender.send('http://127.0.0.1:1/', event(9), {});
    await sender.flush(2000);
    expect(warnings).toHaveLength(2);
    expect(warnings[1]).toMatch(/^payload logger: 3 events not delivered to http:\/\/127\.0\.0\.1:1\/ \(connect ECONNREFUSED 127\.0\.0\.1:1\)/);
  });

  it('gives up on a logger that does not answer within the timeout', async () => {
    const stuck = await receiver({ delayMs: 5000 });
    const warnings: string[] = [];
    const sender = createPayloadLogSender({ timeoutMs: 100, warn: (m) => warnings.push(m) });
    sender.send(stuck.url, event(1), {});
    await sender.flush(3000);
    expect(sender.stats()).toMatchObject({ failed: 1, pending: 0 });
    expect(warnings[0]).toContain('(no answer within 100 ms)');
  });

  it('flush returns after its limit even when the logger is still busy', async () => {
    const slow = await receiver({ delayMs: 1000 });
    const sender = createPayloadLogSender();
    sender.send(slow.url, event(1), {});
    const started = Date.now();
    await sender.flush(100);
    expect(Date.now() - started).toBeLessThan(900);
    expect(sender.stats().pending).toBe(1);
    await sender.flush(3000);
    expect(sender.stats()).toMatchObject({ sent: 1, pending: 0 });
  });
});

describe('serializePayload', () => {
  it('writes typed arrays as arrays of numbers', () => {
    expect(serializePayload({ a: new Float64Array([1, 2.5]), b: [new Float32Array([3])] })).toBe('{"a":[1,2.5],"b":[[3]]}');
  });
});
