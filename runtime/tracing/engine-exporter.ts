/**
 * @module The span exporter to the local engine's receiver: span batches (./span-batch.ts) over a keep-alive
 * HTTP connection.
 *
 * One POST per batch the SDK's batch processor hands over; a batch the receiver refuses (not 2xx) or that gets
 * no answer within the export timeout fails, and the processor drops it, as it does with OTLP.
 */
import type http from 'node:http';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import { createKeepAliveAgent, httpCall } from '../http/client.ts';
import { encodeSpanBatch, SPAN_BATCH_CONTENT_TYPE } from './span-batch.ts';

export interface EngineExporterOptions {
  /** The receiver's URL (`http:` only: the engine is on this machine). */
  url: string;
  /** The `service.name` the spans are recorded under. */
  service: string;
  timeoutMs: number;
}

export class EngineSpanExporter implements SpanExporter {
  readonly #url: URL;
  readonly #service: string;
  readonly #timeoutMs: number;
  readonly #agent: http.Agent = createKeepAliveAgent();
  readonly #pending = new Set<Promise<void>>();
  #stopped = false;

  constructor({ url, service, timeoutMs }: EngineExporterOptions) {
    this.#url = new URL(url);
    if (this.#url.protocol !== 'http:') throw new Error(`the engine's trace receiver must be an http: URL; received "${url}"`);
    this.#service = service;
    this.#timeoutMs = timeoutMs;
  }

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    if (this.#stopped) {
      done({ code: ExportResultCode.FAILED, error: new Error('the exporter is shut down') });
      return;
    }
    let body: string;
    try {
      body = encodeSpanBatch(this.#service, spans);
    } catch (error) {
      done({ code: ExportResultCode.FAILED, error: error instanceof Error ? error : new Error(String(error)) });
      return;
    }
    const sent = httpCall(this.#agent, this.#url.hostname, Number(this.#url.port || 80), {
      method: 'POST',
      path: this.#url.pathname + this.#url.search,
      headers: { 'content-type': SPAN_BATCH_CONTENT_TYPE },
      body,
      timeoutMs: this.#timeoutMs,
    }).then(
      (answer) => {
        if (answer.status >= 200 && answer.status < 300) done({ code: ExportResultCode.SUCCESS });
        else done({ code: ExportResultCode.FAILED, error: new Error(`the engine's trace receiver answered ${answer.status}: ${answer.body.toString('utf8').slice(0, 300)}`) });
      },
      (error: unknown) => done({ code: ExportResultCode.FAILED, error: error instanceof Error ? error : new Error(String(error)) }),
    )
    // `done` is the SDK's; should it throw, that must not become an unhandled rejection in a serving process.
    .catch(() => undefined);
    this.#pending.add(sent);
    void sent.finally(() => this.#pending.delete(sent));
  }

  async forceFlush(): Promise<void> {
    await Promise.all(this.#pending);
  }

  async shutdown(): Promise<void> {
    this.#stopped = true;
    await this.forceFlush();
    this.#agent.destroy();
  }
}
