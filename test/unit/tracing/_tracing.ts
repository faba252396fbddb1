/**
 * Test helper: the real tracing set-up (runtime/tracing/sdk.ts, global provider, context manager, propagators)
 * with spans going to an in-memory exporter instead of OTLP.
 */
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { tracingSettings } from '../../../runtime/tracing/config.ts';
import { startTracing, type TracingHandle } from '../../../runtime/tracing/sdk.ts';

export interface MemoryTracing {
  exporter: InMemorySpanExporter;
  handle: TracingHandle;
  spans(): ReadableSpan[];
  byName(name: string): ReadableSpan;
  stop(): Promise<void>;
}

export function startMemoryTracing({ service = 'test', env = {}, samplingRatio }: { service?: string; env?: Record<string, string>; samplingRatio?: number } = {}): MemoryTracing {
  const exporter = new InMemorySpanExporter();
  const { settings } = tracingSettings({ service, env, ...(samplingRatio === undefined ? {} : { samplingRatio }) });
  const handle = startTracing(settings, { spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  return {
    exporter,
    handle,
    spans: () => exporter.getFinishedSpans(),
    byName(name) {
      const found = exporter.getFinishedSpans().filter((s) => s.name === name);
      if (found.length !== 1) throw new Error(`expected one span "${name}", found ${found.length}: ${exporter.getFinishedSpans().map((s) => s.name).join(', ')}`);
      return found[0]!;
    },
    async stop() {
      await handle.shutdown();
      exporter.reset();
    },
  };
}

/** The parent span id of a finished span (SDK 2+/3 keep it in parentSpanContext). */
export function parentOf(span: ReadableSpan): string | undefined {
  return span.parentSpanContext?.spanId;
}
