/**
 * The engine exporter against real HTTP servers: what it sends, and that a receiver that refuses, is gone or is
 * slow fails the export (the batch processor drops the batch) without throwing.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineSpanExporter } from '../../../runtime/tracing/engine-exporter.ts';
import { SPAN_BATCH_CONTENT_TYPE, type SpanBatch } from '../../../runtime/tracing/span-batch.ts';

const span = {
  name: 'call good-model /predict',
  kind: 2, // CLIENT in the API's numbering
  spanContext: () => ({ traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8), traceFlags: 1 }),
  parentSpanContext: { traceId: 'ab'.repeat(16), spanId: 'ef'.repeat(8), traceFlags: 1 },
  startTime: [1_700_000_000, 123_456_789],
  endTime: [1_700_000_000, 125_956_789],
  status: { code: 2, message: 'boom' },
  attributes: { 'switchyard.node': 'good-model', 'http.response.status_code': 500 },
  events: [{ name: 'exception', time: [1_700_000_000, 124_000_000], attributes: { 'exception.message': 'boom' } }],
} as unknown as ReadableSpan;

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

function receiver(answer: (body: string, type: string | undefined) => [number, string] | 'hang'): Promise<string> {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const result = answer(body, req.headers['content-type']);
      if (result !== 'hang') res.writeHead(result[0]).end(result[1]);
    });
  });
  return new Promise((resolve) => server!.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server!.address() as AddressInfo).port}/v1/traces`)));
}

const exportOnce = (exporter: EngineSpanExporter) => new Promise<ExportResult>((resolve) => exporter.export([span], resolve));

describe('EngineSpanExporter', () => {
  it('POSTs one span batch per export: ids, parent, OTLP kind and status numbers, times in ms to the microsecond', async () => {
    const received: Array<{ batch: SpanBatch; type: string | undefined }> = [];
    const url = await receiver((body, type) => {
      received.push({ batch: JSON.parse(body) as SpanBatch, type });
      return [200, '{}'];
    });
    const exporter = new EngineSpanExporter({ url, service: 'orchestrator', timeoutMs: 1000 });
    expect((await exportOnce(exporter)).code).toBe(ExportResultCode.SUCCESS);
    await exporter.shutdown();
    expect(received).toEqual([
      {
        type: SPAN_BATCH_CONTENT_TYPE,
        batch: {
          v: 1,
          service: 'orchestrator',
          spans: [['ab'.repeat(16), 'cd'.repeat(8), 'ef'.repeat(8), 'call good-model /predict', 3, 1_700_000_000_123.456, 1_700_000_000_125.956, 2, 'boom', { 'switchyard.node': 'good-model', 'http.response.status_code': 500 }, [['exception', 1_700_000_000_124, { 'exception.message': 'boom' }]]]],
        },
      },
    ]);
  });

  it('fails the export, with the receiver\'s answer, when the receiver refuses the batch', async () => {
    const url = await receiver(() => [400, '{"code":3,"message":"spans: expected an array"}']);
    const exporter = new EngineSpanExporter({ url, service: 'orchestrator', timeoutMs: 1000 });
    const result = await exportOnce(exporter);
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(result.error?.message).toMatch(/answered 400: .*spans: expected an array/);
    await exporter.shutdown();
  });

  it('fails the export when nothing listens, or no answer comes within the timeout', async () => {
    const gone = new EngineSpanExporter({ url: 'http://127.0.0.1:1/v1/traces', service: 'orchestrator', timeoutMs: 1000 });
    const refused = await exportOnce(gone);
    expect(refused.code).toBe(ExportResultCode.FAILED);
    expect(refused.error?.message).toMatch(/ECONNREFUSED/);
    await gone.shutdown();

    const url = await receiver(() => 'hang');
    const slow = new EngineSpanExporter({ url, service: 'orchestrator', timeoutMs: 100 });
    const timedOut = await exportOnce(slow);
    expect(timedOut.code).toBe(ExportResultCode.FAILED);
    expect(timedOut.error?.name).toBe('TimeoutError');
    await slow.shutdown();
    server!.closeAllConnections();
  });

  it('fails the export, without throwing, when a span cannot be written as JSON', async () => {
    let posts = 0;
    const url = await receiver(() => {
      posts++;
      return [200, '{}'];
    });
    const exporter = new EngineSpanExporter({ url, service: 'orchestrator', timeoutMs: 1000 });
    const odd = { ...span, attributes: { big: 10n } } as unknown as ReadableSpan;
    const result = await new Promise<ExportResult>((resolve) => exporter.export([odd], resolve));
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(result.error?.message).toMatch(/BigInt/);
    expect(posts).toBe(0);
    await exporter.shutdown();
  });

  it('refuses a URL that is not http:, and exports nothing after shutdown', async () => {
    expect(() => new EngineSpanExporter({ url: 'https://127.0.0.1/v1/traces', service: 'x', timeoutMs: 1000 })).toThrow(/must be an http: URL; received "https:/);
    const url = await receiver(() => [200, '{}']);
    const exporter = new EngineSpanExporter({ url, service: 'orchestrator', timeoutMs: 1000 });
    await exporter.shutdown();
    const result = await exportOnce(exporter);
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(result.error?.message).toMatch(/shut down/);
  });
});
