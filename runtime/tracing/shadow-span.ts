/**
 * @module The span of a shadow walk: a node's shadow, given a copy of the node's input in the background. The
 * shadow's own node calls are its children; it may end after the request's span (the client does not wait for it).
 */
import { context, SpanKind, trace, type Tracer } from '@opentelemetry/api';
import { ATTR_NODE, ATTR_SHADOW, ATTR_SHADOW_OF } from './attributes.ts';
import { recordSpanError } from './errors.ts';
import { startSpan } from './start-span.ts';
import { TRACER_NAME } from './middleware.ts';

export async function traceShadow<T>(of: string, shadow: string, walk: () => Promise<T>, tracer?: Tracer): Promise<T> {
  const parent = context.active();
  const span = startSpan(
    tracer ?? trace.getTracer(TRACER_NAME),
    `shadow ${of} → ${shadow}`,
    SpanKind.INTERNAL,
    () => ({ [ATTR_NODE]: shadow, [ATTR_SHADOW]: shadow, [ATTR_SHADOW_OF]: of }),
    parent,
  );
  try {
    return await context.with(trace.setSpan(parent, span), walk);
  } catch (error) {
    recordSpanError(error, { span, markError: true });
    throw error;
  } finally {
    span.end();
  }
}
