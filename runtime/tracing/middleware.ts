/**
 * @module The Hono middleware that gives each traced request a server span, continuing the caller's trace.
 *
 * W3C trace context is extracted from the request: a valid `traceparent` continues that trace (the span is its
 * child, and its sampled flag is followed); a missing or malformed one starts a new trace and never fails the
 * request. The handler runs with the span active, so node calls made while answering become its children. The
 * response names the trace in a `traceparent` header (this server span's context). 5xx answers and thrown
 * errors mark the span as an error. Only `@opentelemetry/api` is used: without the SDK this costs almost nothing.
 */
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Context as OtelContext, type Span, type TextMapGetter, type Tracer } from '@opentelemetry/api';
import type { Context, MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { ATTR_ERROR_TYPE, ATTR_HTTP_METHOD, ATTR_HTTP_ROUTE, ATTR_HTTP_STATUS, ATTR_URL_PATH } from './attributes.ts';
import { hasErrorStatus, recordSpanError } from './errors.ts';
import { startSpan } from './start-span.ts';

export const TRACER_NAME = 'switchyard';

export interface ServerSpanOptions {
  /** Which requests get a span (default: every POST; health checks, metrics and metadata reads stay untraced). */
  traced?: (c: Context) => boolean;
  /** Attributes known when the request arrives. */
  attributes?: (c: Context) => Attributes;
  /** Default: the global tracer named `switchyard`. */
  tracer?: Tracer;
}

const headerGetter: TextMapGetter<Headers> = {
  get: (carrier, key) => carrier.get(key) ?? undefined,
  keys: (carrier) => [...carrier.keys()],
};

export function serverSpanMiddleware({ traced = (c) => c.req.method === 'POST', attributes, tracer }: ServerSpanOptions = {}): MiddlewareHandler {
  return async function serverSpan(c, next) {
    if (!traced(c)) return next();
    const parent = extractParent(c.req.raw.headers);
    const route = matchedRoute(c);
    const span = startSpan(
      tracer ?? trace.getTracer(TRACER_NAME),
      `${c.req.method} ${route}`,
      SpanKind.SERVER,
      () => ({ [ATTR_HTTP_METHOD]: c.req.method, [ATTR_HTTP_ROUTE]: route, [ATTR_URL_PATH]: c.req.path, ...attributes?.(c) }),
      parent,
    );
    const active = trace.setSpan(parent, span);
    try {
      await context.with(active, next);
      finish(span, c.res.status, c.error);
    } catch (error) {
      finish(span, 500, error);
      throw error;
    } finally {
      nameTrace(c, active);
      span.end();
    }
  };
}

function extractParent(headers: Headers): OtelContext {
  try {
    return propagation.extract(ROOT_CONTEXT, headers, headerGetter);
  } catch {
    // A propagator that chokes on a header must not fail the request: start a new trace instead.
    return ROOT_CONTEXT;
  }
}

function matchedRoute(c: Context): string {
  try {
    const route = routePath(c, -1);
    return route === '*' || route === '/*' || route === '' ? c.req.path : route;
  } catch {
    return c.req.path;
  }
}

function finish(span: Span, status: number, error: unknown): void {
  if (!span.isRecording()) return;
  span.setAttribute(ATTR_HTTP_STATUS, status);
  if (error !== undefined) recordSpanError(error, { span, markError: status >= 500 });
  if (status >= 500 && !hasErrorStatus(span)) {
    span.setAttribute(ATTR_ERROR_TYPE, String(status));
    span.setStatus({ code: SpanStatusCode.ERROR, message: `answered ${status}` });
  }
}

/** Adds a `traceparent` response header naming this request's span, when there is a valid one. */
function nameTrace(c: Context, active: OtelContext): void {
  const out: Record<string, string> = {};
  try {
    propagation.inject(active, out);
  } catch {
    return;
  }
  const value = out.traceparent;
  if (value === undefined) return;
  try {
    c.res.headers.set('traceparent', value);
  } catch {
    // Immutable headers (a proxied Response): copy the response once.
    c.res = new Response(c.res.body, c.res);
    c.res.headers.set('traceparent', value);
  }
}
