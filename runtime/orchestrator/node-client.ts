/**
 * @module Calls a node's function over HTTP on a Seldon component path, with a timeout.
 *
 * Failures come back as `NodeCallError`s that name the node and the function: a function's own 4xx keeps its
 * status (the request was bad for that node), a 503 (no capacity) or 504 (timed out) from the function or the
 * gateway in front of it is kept, another 5xx becomes 502, an unreachable function 503 and a timeout 504.
 * Each call is a client span (runtime/tracing) whose trace context travels in the request's headers.
 */
import type { PlanNode } from '../plan/types.ts';
import type { SeldonMessage } from '../protocol/seldon-types.ts';
import { NodeCallError } from './errors.ts';
import { traceNodeCall } from '../tracing/node-call.ts';
import { createKeepAliveAgent, httpCall, keepAliveFetch, plainHeaders } from '../http/client.ts';

/** Keep-alive connections to the functions (node:http: a node call costs far less than with the global fetch). */
const agent = createKeepAliveAgent();
/** For endpoints that are not plain http: (keepAliveFetch hands those to the global fetch). */
const defaultFetch = keepAliveFetch({ agent });
const utf8 = new TextDecoder();

/** A node's answer: status, a Response carrying its headers (for the node-call span), and its body as text. */
interface Answer {
  status: number;
  view: Response;
  text(): Promise<string>;
}

type Send = (url: string, headers: Record<string, string>, body: string, timeoutMs: number) => Promise<Answer>;

/** Through a fetch implementation (a test's, or the global one for https endpoints). */
const viaFetch =
  (fetchImpl: typeof fetch): Send =>
  async (url, headers, body, timeoutMs) => {
    const response = await fetchImpl(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
    return { status: response.status, view: response, text: () => response.text() };
  };

/**
 * Straight over node:http (the default): no web-stream Response body to build and drain per call, and the
 * timeout is one timer. The headers still reach the span through a body-less Response.
 */
function viaHttp(): Send {
  const targets = new Map<string, URL>();
  const fallback = viaFetch(defaultFetch);
  return async (url, headers, body, timeoutMs) => {
    let target = targets.get(url);
    if (target === undefined) {
      target = new URL(url);
      if (targets.size < 1024) targets.set(url, target);
    }
    if (target.protocol !== 'http:') return fallback(url, headers, body, timeoutMs);
    const answer = await httpCall(agent, target.hostname, Number(target.port || 80), { method: 'POST', path: target.pathname + target.search, headers, body, timeoutMs });
    const status = answer.status;
    return { status, view: new Response(null, { status, headers: plainHeaders(answer.headers) }), text: async () => utf8.decode(answer.body) };
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

export function createNodeClient({ endpoints, fetchImpl }: { endpoints: Endpoints; fetchImpl?: typeof fetch }): NodeClient {
  const send = fetchImpl === undefined ? viaHttp() : viaFetch(fetchImpl);
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
        try {
          response = await send(url, { 'content-type': 'application/json', 'x-switchyard-node': node.name, ...context.headers, ...traced.headers }, JSON.stringify(body), node.timeoutMs);
        } catch (error) {
          const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
          throw new NodeCallError({
            status: timedOut ? 504 : 503,
            node: node.name,
            function: node.function,
            reason: timedOut ? 'node_timeout' : 'node_unreachable',
            message: timedOut
              ? `node "${node.name}" (function "${node.function}") did not answer ${path} within ${node.timeoutMs} ms`
              : `node "${node.name}" (function "${node.function}") could not be reached at ${url}: ${describe(error)}`,
            cause: error,
          });
        }
        traced.response(response.view);
        const text = await response.text();
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

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    if (cause instanceof Error && cause.message) return cause.message;
    return error.message;
  }
  return String(error);
}
