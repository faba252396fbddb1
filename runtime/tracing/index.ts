/**
 * @module Tracing for everything but process start-up: only `@opentelemetry/api` behind these exports.
 * (`./sdk.ts` starts the SDK and `./config.ts` reads its settings; only function entry points use them.)
 */
export * from './attributes.ts';
export { recordSpanError, errorAttributes } from './errors.ts';
export { serverSpanMiddleware, TRACER_NAME, type ServerSpanOptions } from './middleware.ts';
export { traceNodeCall, type NodeCallTarget, type NodeCallTrace } from './node-call.ts';
export { traceRoute, type RouteOutcome, type RouterNode } from './router-span.ts';
export { traceShadow } from './shadow-span.ts';
export { annotateRequest, activeTraceId, activeTraceparent, type RequestFacts } from './request.ts';
