/**
 * @module Starting a span whose attributes cost nothing when it is not sampled.
 *
 * The SDK's `startSpan` copies and checks the attributes it is given before it asks the sampler, so a request
 * that is not sampled still pays for them; Switchyard's samplers never look at attributes, so they are set only
 * on a span that records. The span is the same either way.
 */
import type { Attributes, Context, Span, SpanKind, Tracer } from '@opentelemetry/api';

/** `attributes` is called only for a span that records. */
export function startSpan(tracer: Tracer, name: string, kind: SpanKind, attributes: () => Attributes, parent: Context): Span {
  const span = tracer.startSpan(name, { kind }, parent);
  if (span.isRecording()) span.setAttributes(attributes());
  return span;
}
