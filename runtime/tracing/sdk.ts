/**
 * @module Starts and stops the OpenTelemetry trace SDK in a function process.
 *
 * The pieces `@opentelemetry/sdk-node` would assemble, assembled here so a function bundle stays small
 * (sdk-node pulls in every exporter, gRPC included: about 600 KiB minified, which would push a bundle over the
 * 1 MiB a Kubernetes ConfigMap holds; these pieces add about 60 KiB): a `TracerProvider` with a parent-based
 * ratio sampler, one batch processor per exporter (span batches to the local engine's receiver,
 * ./engine-exporter.ts; OTLP/HTTP JSON to a user's collector), the AsyncLocalStorage context manager and the W3C
 * trace-context and baggage propagators, all registered globally so the rest of Switchyard only uses
 * `@opentelemetry/api`.
 */
import { context, diag, DiagLogLevel, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  TracerProvider,
  type Sampler,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';
import { silentLogger, type Logger } from '../log.ts';
import { EngineSpanExporter } from './engine-exporter.ts';
import type { SamplerSettings, TracingSettings } from './config.ts';

export interface TracingHandle {
  /** Whether a tracer provider was registered (false when OTEL_SDK_DISABLED=true). */
  enabled: boolean;
  /** Exports what is buffered now. */
  flush(): Promise<void>;
  /** Exports what is buffered, then unregisters everything (bounded by `timeoutMs`). Never rejects. */
  shutdown(timeoutMs?: number): Promise<void>;
}

export interface StartTracingOptions {
  log?: Logger;
  /** Replaces the exporters of `settings` (tests pass a SimpleSpanProcessor over an InMemorySpanExporter). */
  spanProcessors?: SpanProcessor[];
}

export function startTracing(settings: TracingSettings, { log = silentLogger, spanProcessors }: StartTracingOptions = {}): TracingHandle {
  if (!settings.enabled) return { enabled: false, flush: async () => {}, shutdown: async () => {} };
  diag.setLogger(
    {
      error: (message) => log.warn(`opentelemetry: ${message}`),
      warn: (message) => log.warn(`opentelemetry: ${message}`),
      info: () => {},
      debug: () => {},
      verbose: () => {},
    },
    { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
  );
  const processors =
    spanProcessors ??
    settings.exporters.map(
      (exporter) =>
        new BatchSpanProcessor({
          exporter:
            exporter.name === 'engine' && exporter.url !== undefined && exporter.url.startsWith('http:')
              ? new EngineSpanExporter({ url: exporter.url, service: settings.serviceName, timeoutMs: exporter.exportTimeoutMs })
              : new OTLPTraceExporter(exporter.url === undefined ? {} : { url: exporter.url }),
          scheduledDelayMillis: exporter.scheduledDelayMs,
          maxQueueSize: exporter.maxQueueSize,
          maxExportBatchSize: Math.min(exporter.maxExportBatchSize, exporter.maxQueueSize),
          exportTimeoutMillis: exporter.exportTimeoutMs,
        }),
    );
  const provider = new TracerProvider({
    resource: resourceFromAttributes(settings.resource),
    sampler: samplerOf(settings.sampler),
    spanProcessors: processors,
  });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }));
  trace.setGlobalTracerProvider(provider);

  let stopped: Promise<void> | undefined;
  return {
    enabled: true,
    flush: () => provider.forceFlush().catch((error: unknown) => log.warn('could not export spans', { error })),
    shutdown(timeoutMs = 5000) {
      stopped ??= (async () => {
        let timer: NodeJS.Timeout | undefined;
        const bound = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
        await Promise.race([provider.shutdown().catch((error: unknown) => log.warn('could not export spans at shutdown', { error })), bound]);
        clearTimeout(timer);
        trace.disable();
        propagation.disable();
        context.disable();
        diag.disable();
      })();
      return stopped;
    },
  };
}

function samplerOf({ parentBased, ratio }: SamplerSettings): Sampler {
  const root: Sampler = ratio >= 1 ? new AlwaysOnSampler() : ratio <= 0 ? new AlwaysOffSampler() : new TraceIdRatioBasedSampler(ratio);
  return parentBased ? new ParentBasedSampler({ root }) : root;
}
