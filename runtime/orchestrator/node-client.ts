/**
 * @module Calls a node's function over HTTP on a Seldon component path, with a timeout.
 *
 * Failures come back as `NodeCallError`s that name the node and the function: a function's own 4xx keeps its
 * status (the request was bad for that node), a 5xx becomes 502, an unreachable function 503 and a timeout 504.
 */
import type { PlanNode } from '../plan/types.ts';
import type { SeldonMessage } from '../protocol/seldon-types.ts';
import { NodeCallError } from './errors.ts';

export type Endpoints = Record<string, string>;

export interface NodeCallContext {
  /** Headers to propagate (trace context). */
  headers?: Record<string, string>;
}

export interface NodeClient {
  call(node: PlanNode, path: string, body: unknown, context?: NodeCallContext): Promise<SeldonMessage>;
}

export function createNodeClient({ endpoints, fetchImpl = fetch }: { endpoints: Endpoints; fetchImpl?: typeof fetch }): NodeClient {
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
      let response: Response;
      try {
        response = await fetchImpl(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-switchyard-node': node.name, ...context.headers },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(node.timeoutMs),
        });
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
      if (!response.ok) {
        const info = errorInfo(parsed) ?? text.slice(0, 200);
        throw new NodeCallError({
          status: response.status >= 500 ? 502 : response.status,
          node: node.name,
          function: node.function,
          reason: response.status >= 500 ? 'node_failed' : 'node_rejected',
          message: `node "${node.name}" (function "${node.function}") failed: ${info}`,
        });
      }
      return parsed as SeldonMessage;
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
