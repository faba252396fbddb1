/**
 * @module The Fetch classes function bundles give Hono and Switchyard's run-time code in place of Node's globals
 * (compiler/bundle/lean-runtime.ts imports `Response` and `Headers` from here into those modules), so that serving
 * HTTP never loads undici. User components keep Node's own.
 */
export { LiteResponse as Response, LiteResponse, type LiteResponseInit, type ResponseParts } from './response.ts';
export { LiteHeaders as Headers, LiteHeaders, type HeadersInitLike } from './headers.ts';
export { IncomingRequest, RequestTargetError, requestUrl } from './request.ts';
