/**
 * @module The server span of a gRPC call that a gRPC front end turns into a REST request (runtime/grpc/server.ts).
 *
 * The caller's W3C trace context comes from the call's `traceparent`/`tracestate` metadata; the REST request made
 * while the span is active carries the span's own context on (`injectTraceContext`), so on Knative a trace reads
 * gRPC front end → orchestrator → functions. Without an OpenTelemetry SDK (the local engine's gateway, which makes
 * no spans of its own) both are no-ops and the caller's metadata is passed on as it came.
 */
import { context, propagation, ROOT_CONTEXT, SpanKind, trace, type TextMapSetter } from '@opentelemetry/api';
import { recordSpanError } from './errors.ts';
import { TRACER_NAME } from './middleware.ts';

export const ATTR_RPC_SYSTEM = 'rpc.system';
export const ATTR_RPC_SERVICE = 'rpc.service';
export const ATTR_RPC_METHOD = 'rpc.method';
export const ATTR_RPC_GRPC_STATUS = 'rpc.grpc.status_code';

const headerSetter: TextMapSetter<Headers> = { set: (carrier, key, value) => carrier.set(key, value) };

/**
 * Runs `run` inside a server span named `grpc <service>/<method>`, a child of the trace context in `metadata`
 * (lower-cased keys). A failure is recorded on the span (`grpcCode` tells its gRPC status) and thrown on.
 */
export async function traceGrpcCall<T>(
  call: { service: string; method: string; metadata: Record<string, string> },
  run: () => Promise<T>,
  grpcCode: (error: unknown) => number,
): Promise<T> {
  let parent = ROOT_CONTEXT;
  try {
    parent = propagation.extract(ROOT_CONTEXT, call.metadata);
  } catch {
    // A malformed traceparent starts a new trace; it never fails the call.
  }
  const span = trace.getTracer(TRACER_NAME).startSpan(
    `grpc ${call.service}/${call.method}`,
    { kind: SpanKind.SERVER, attributes: { [ATTR_RPC_SYSTEM]: 'grpc', [ATTR_RPC_SERVICE]: call.service, [ATTR_RPC_METHOD]: call.method } },
    parent,
  );
  try {
    const result = await context.with(trace.setSpan(parent, span), run);
    span.setAttribute(ATTR_RPC_GRPC_STATUS, 0);
    return result;
  } catch (error) {
    const code = grpcCode(error);
    span.setAttribute(ATTR_RPC_GRPC_STATUS, code);
    recordSpanError(error, { span, markError: code !== 3 && code !== 5 });
    throw error;
  } finally {
    span.end();
  }
}

/** Writes the active span's trace context into `headers` (replacing a `traceparent` copied from the call). */
export function injectTraceContext(headers: Headers): void {
  propagation.inject(context.active(), headers, headerSetter);
}
