/**
 * @module Forwards one HTTP request to a replica of a function, holding it while the function cold-starts.
 *
 * The body is read before a replica is taken, so slow uploads never occupy a replica's concurrency slot.
 * A replica that refuses the connection (it crashed) is discarded and, for an idempotent-enough call (a
 * prediction), the request is retried once on another replica; otherwise the answer is a 502 naming the
 * function.
 */
import type { FunctionPool } from './function-pool.ts';
import { GatewayError } from './errors.ts';
import type { Replica } from './replica.ts';
import { HEADER_COLD_START, HEADER_QUEUE_MS, HEADER_REPLICA } from '../../tracing/attributes.ts';
import { createKeepAliveAgent, httpCall, plainHeaders } from '../../http/client.ts';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'host', 'upgrade', 'proxy-connection']);

/** Keep-alive connections to every replica, reused across requests (node:http: far cheaper per hop than fetch). */
const agent = createKeepAliveAgent();

export interface ForwardOptions {
  queueTimeoutMs: number;
  requestTimeoutMs: number;
  /** Retry once on another replica if the chosen one's connection fails. */
  retry: boolean;
  /** Clock for the queue time reported in `x-switchyard-queue-ms` (default `performance.now`). */
  now?: () => number;
  /**
   * The incoming request's node:http `rawHeaders` (name, value, …), when it came through @hono/node-server:
   * read directly instead of building the request's web Headers (a cost on every hop).
   */
  rawHeaders?: readonly string[] | undefined;
  onStart?: (replica: Replica) => void;
  onFinish?: (replica: Replica) => void;
}

/** `body`: the request's bytes as read, in chunks (passed on without being joined), or none. */
export async function forward(pool: FunctionPool, request: Request, path: string, body: readonly Uint8Array[] | undefined, options: ForwardOptions): Promise<Response> {
  const headers = options.rawHeaders === undefined ? headersOf(request) : headersFromRaw(options.rawHeaders);
  const bytes = body;
  let attempts = options.retry ? 2 : 1;
  for (;;) {
    attempts--;
    const now = options.now ?? (() => performance.now());
    const cold = pool.stats().ready === 0;
    const queuedFrom = now();
    const replica = await pool.acquire(options.queueTimeoutMs, request.signal);
    const queuedMs = now() - queuedFrom;
    options.onStart?.(replica);
    try {
      const upstream = await httpCall(agent, '127.0.0.1', replica.port, {
        method: request.method,
        path,
        headers,
        body: bytes,
        timeoutMs: options.requestTimeoutMs,
      });
      const out = plainHeaders(upstream.headers, HOP_BY_HOP);
      // Which replica answered, whether the call waited for a cold start, how long it queued (node-call span attributes).
      out[HEADER_REPLICA] = String(replica.id);
      out[HEADER_COLD_START] = String(cold);
      out[HEADER_QUEUE_MS] = queuedMs.toFixed(1);
      // A Buffer body and plain headers: @hono/node-server writes it in one go, without a web stream.
      return new Response(upstream.body, { status: upstream.status, headers: out });
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      if (timedOut) {
        throw new GatewayError({
          status: 504, reason: 'function_timeout', function: pool.name,
          message: `function "${pool.name}" did not answer ${path} within ${options.requestTimeoutMs} ms`,
        });
      }
      pool.discard(replica);
      if (attempts > 0) continue;
      throw new GatewayError({
        status: 502, reason: 'function_failed', function: pool.name,
        message: `function "${pool.name}" (replica ${replica.id}) failed while answering ${path}: ${causeOf(error)}; it is being restarted`,
      });
    } finally {
      pool.release(replica);
      options.onFinish?.(replica);
    }
  }
}

/** A request's headers to pass on to a replica: all but the hop-by-hop ones. */
export function headersOf(request: Request): Record<string, string> {
  const headers: Record<string, string> = {};
  request.headers.forEach((value, key) => {
    if (!HOP_BY_HOP.has(key)) headers[key] = value;
  });
  return headers;
}

/** The same record from node's raw header list: names lower-cased, repeats joined with ", " as Headers does. */
export function headersFromRaw(raw: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const key = raw[i]!.toLowerCase();
    if (key.startsWith(':') || HOP_BY_HOP.has(key)) continue;
    const value = raw[i + 1]!.trim();
    const seen = headers[key];
    headers[key] = seen === undefined ? value : `${seen}, ${value}`;
  }
  return headers;
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { message?: string; code?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as { code?: string }).code ?? (error as Error).message ?? String(error);
}
