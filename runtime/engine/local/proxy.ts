/**
 * @module Forwards one request to a replica of a function, holding it while the function cold-starts.
 *
 * The body is read before a replica is taken, so slow uploads never occupy a replica's concurrency slot.
 * A replica that serves the frame transport (runtime/frames) is called over its Unix socket, many calls on one
 * connection; any other over HTTP with a keep-alive pool. A replica whose connection fails (it crashed) is
 * discarded and, for an idempotent-enough call (a prediction), the request is retried once on another replica;
 * otherwise the answer is a 502 naming the function.
 */
import type { FunctionPool } from './function-pool.ts';
import { GatewayError } from './errors.ts';
import type { Replica } from './replica.ts';
import { HEADER_COLD_START, HEADER_QUEUE_MS, HEADER_REPLICA } from '../../tracing/attributes.ts';
import { createKeepAliveAgent, httpCall, plainHeaders, type HttpAnswer, type HttpCall } from '../../http/client.ts';

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
  /** Gives up waiting for a replica when this aborts (the client went away). */
  signal?: AbortSignal | undefined;
  onStart?: (replica: Replica) => void;
  onFinish?: (replica: Replica) => void;
}

/** What to send: `headers` without the hop-by-hop ones (see headersOf), `body` in chunks as read, or none. */
export interface ForwardCall {
  method: string;
  /** Path and query on the function. */
  path: string;
  headers: Record<string, string>;
  body?: readonly Uint8Array[] | undefined;
}

/** The function's answer: its status, its headers (hop-by-hop ones dropped, the gateway's added), its body. */
export interface ForwardAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export async function forward(pool: FunctionPool, call: ForwardCall, options: ForwardOptions): Promise<ForwardAnswer> {
  const { path } = call;
  let attempts = options.retry ? 2 : 1;
  for (;;) {
    attempts--;
    const now = options.now ?? (() => performance.now());
    const cold = pool.readyCount() === 0;
    const queuedFrom = now();
    const replica = await pool.acquire(options.queueTimeoutMs, options.signal);
    const queuedMs = now() - queuedFrom;
    options.onStart?.(replica);
    try {
      const request: HttpCall = { method: call.method, path, headers: call.headers, body: call.body, timeoutMs: options.requestTimeoutMs };
      const upstream: HttpAnswer = replica.frames === undefined ? await httpCall(agent, '127.0.0.1', replica.port, request) : await replica.frames.call(request);
      const headers = plainHeaders(upstream.headers, HOP_BY_HOP);
      // Which replica answered, whether the call waited for a cold start, how long it queued (node-call span attributes).
      headers[HEADER_REPLICA] = String(replica.id);
      headers[HEADER_COLD_START] = String(cold);
      headers[HEADER_QUEUE_MS] = queuedMs.toFixed(1);
      return { status: upstream.status, headers, body: upstream.body };
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
