/**
 * @module Calls a node's function over HTTP on a Seldon component path, with a timeout.
 *
 * Failures come back as `NodeCallError`s that name the node and the function: a function's own 4xx keeps its
 * status (the request was bad for that node), a 503 (no capacity) or 504 (timed out) from the function or the
 * gateway in front of it is kept, another 5xx becomes 502, an unreachable function 503 and a timeout 504.
 * Each call is a client span (runtime/tracing) whose trace context travels in the request's headers.
 *
 * Large tensors travel packed (protocol/packed-body.ts) both ways: the orchestrator never turns a tensor it
 * only passes on into JSON numbers and back. Endpoints whose origin has a frame route (the local engine's
 * gateway) are called over its Unix socket with the frame transport (runtime/frames) instead of HTTP.
 */
import type { PlanNode } from '../plan/types.ts';
import type { SeldonMessage } from '../protocol/seldon-types.ts';
import { NodeCallError } from './errors.ts';
import { traceNodeCall } from '../tracing/node-call.ts';
import { PACKED_CONTENT_TYPE, PACKED_JSON_LENGTH_HEADER, isPackedContentType, packBody, unpackBody } from '../protocol/packed-body.ts';
import { createKeepAliveAgent, httpCall, keepAliveFetch, plainHeaders } from '../http/client.ts';
import { FrameClient } from '../frames/client.ts';
import { describeCallError } from '../http/describe-error.ts';

/** Keep-alive connections to the functions (node:http: a node call costs far less than with the global fetch). */
const agent = createKeepAliveAgent();
/** For endpoints that are not plain http: (keepAliveFetch hands those to the global fetch). */
const defaultFetch = keepAliveFetch({ agent });
const utf8 = new TextDecoder();
/** Every function answers JSON; ours answer tensors packed when asked. */
const ACCEPT = `${PACKED_CONTENT_TYPE}, application/json`;

/** A node's answer: status, a Response carrying its headers (for the node-call span), and its body. */
interface Answer {
  status: number;
  view: Response;
  bytes(): Promise<Uint8Array>;
}

type Send = (url: string, headers: Record<string, string>, body: string | Uint8Array, timeoutMs: number) => Promise<Answer>;

/** Through a fetch implementation (a test's, or the global one for https endpoints). */
const viaFetch =
  (fetchImpl: typeof fetch): Send =>
  async (url, headers, body, timeoutMs) => {
    const response = await fetchImpl(url, { method: 'POST', headers, body: body as string | Uint8Array<ArrayBuffer>, signal: AbortSignal.timeout(timeoutMs) });
    return { status: response.status, view: response, bytes: async () => new Uint8Array(await response.arrayBuffer()) };
  };

/** Origin (`http://host:port`) → the Unix socket that serves the same routes over the frame transport. */
export type FrameRoutes = Record<string, string>;

/**
 * Straight over node:http (the default), or over a frame connection where the origin has a route: no
 * web-stream Response body to build and drain per call, and the timeout is one timer. The headers still reach
 * the span through a body-less Response.
 */
function viaHttp(frameRoutes: FrameRoutes): Send {
  const targets = new Map<string, URL>();
  const frames = new Map(Object.entries(frameRoutes).map(([origin, socket]) => [new URL(origin).origin, new FrameClient(socket)]));
  const fallback = viaFetch(defaultFetch);
  return async (url, headers, body, timeoutMs) => {
    let target = targets.get(url);
    if (target === undefined) {
      target = new URL(url);
      if (targets.size < 1024) targets.set(url, target);
    }
    if (target.protocol !== 'http:') return fallback(url, headers, body, timeoutMs);
    const call = { method: 'POST', path: target.pathname + target.search, headers, body, timeoutMs };
    const framed = frames.size === 0 ? undefined : frames.get(target.origin);
    const answer = framed === undefined ? await httpCall(agent, target.hostname, Number(target.port || 80), call) : await framed.call(call);
    const status = answer.status;
    return { status, view: new Response(null, { status, headers: plainHeaders(answer.headers) }), bytes: async () => answer.body };
  };
}

export type Endpoints = Record<string, string>;

export interface NodeCallContext {
  /** Headers to propagate (trace context). */
  headers?: Record<string, string>;
}

export interface NodeClient {
  call(node: PlanNode, path: string, body: unknown, context?: NodeCallContext): Promise<SeldonMessage>;
}

export function createNodeClient({
  endpoints,
  fetchImpl,
  frameRoutes = {},
  packed = true,
}: {
  endpoints: Endpoints;
  fetchImpl?: typeof fetch;
  frameRoutes?: FrameRoutes;
  /** false: plain JSON both ways (servers that are not Switchyard functions do not read packed bodies). */
  packed?: boolean;
}): NodeClient {
  const send = fetchImpl === undefined ? viaHttp(frameRoutes) : viaFetch(fetchImpl);
  const accept = packed ? ACCEPT : 'application/json';
  return {
    async call(node, path, body, context = {}) {
      const base = endpoints[node.function];
      if (base === undefined) {
        throw new NodeCallError({
          status: 500, node: node.name, function: node.function, reason: 'no_endpoint',
          message: `node "${node.name}": no endpoint is configured for function "${node.function}" (SWITCHYARD_ENDPOINTS)`,
        });
      }
      const url = base + path;
      const target = { node: node.name, type: node.type, function: node.function, path, url };
      return traceNodeCall(target, async (traced) => {
        let response: Answer;
        const pack = packed ? packBody(body) : undefined;
        const headers: Record<string, string> =
          pack === undefined
            ? { 'content-type': 'application/json', accept }
            : { 'content-type': PACKED_CONTENT_TYPE, [PACKED_JSON_LENGTH_HEADER]: String(pack.headerLength), accept };
        try {
          response = await send(url, { ...headers, 'x-switchyard-node': node.name, ...context.headers, ...traced.headers }, pack?.bytes ?? JSON.stringify(body), node.timeoutMs);
        } catch (error) {
          const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
          throw new NodeCallError({
            status: timedOut ? 504 : 503,
            node: node.name,
            function: node.function,
            reason: timedOut ? 'node_timeout' : 'node_unreachable',
            message: timedOut
              ? `node "${node.name}" (function "${node.function}") did not answer ${path} within ${node.timeoutMs} ms`
              : `node "${node.name}" (function "${node.function}") could not be reached at ${url}: ${describeCallError(error)}`,
            cause: error,
          });
        }
        traced.response(response.view);
        const bytes = await response.bytes();
        const contentType = response.view.headers.get('content-type');
        if (isPackedContentType(contentType) && response.status >= 200 && response.status <= 299) {
          try {
            return unpackBody(bytes, response.view.headers.get(PACKED_JSON_LENGTH_HEADER)) as SeldonMessage;
          } catch (error) {
            throw new NodeCallError({
              status: 502, node: node.name, function: node.function, reason: 'node_bad_response',
              message: `node "${node.name}" (function "${node.function}") answered ${path} with a packed body that cannot be read: ${(error as Error).message}`,
            });
          }
        }
        const text = utf8.decode(bytes);
        let parsed: unknown;
        try {
          parsed = text === '' ? {} : JSON.parse(text);
        } catch {
          throw new NodeCallError({
            status: 502, node: node.name, function: node.function, reason: 'node_bad_response',
            message: `node "${node.name}" (function "${node.function}") answered ${path} with ${response.status} and a body that is not JSON: ${text.slice(0, 200)}`,
          });
        }
        if (response.status < 200 || response.status > 299) {
          // The function's own message often starts by naming the node already: say it once.
          const info = (errorInfo(parsed) ?? text.slice(0, 200)).replace(`node "${node.name}": `, '');
          // 503 (no capacity: retry later) and 504 (no answer in time) keep their meaning for the client.
          const kept = response.status === 503 || response.status === 504;
          throw new NodeCallError({
            status: kept ? response.status : response.status >= 500 ? 502 : response.status,
            node: node.name,
            function: node.function,
            reason: response.status === 503 ? 'node_unavailable' : response.status === 504 ? 'node_timeout' : response.status >= 500 ? 'node_failed' : 'node_rejected',
            message: `node "${node.name}" (function "${node.function}") failed: ${info}`,
          });
        }
        return parsed as SeldonMessage;
      });
    },
  };
}

function errorInfo(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as { status?: { info?: unknown }; error?: unknown };
  if (typeof record.status?.info === 'string') return record.status.info;
  if (typeof record.error === 'string') return record.error;
  return undefined;
}
