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

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'host', 'upgrade', 'proxy-connection']);

export interface ForwardOptions {
  queueTimeoutMs: number;
  requestTimeoutMs: number;
  /** Retry once on another replica if the chosen one's connection fails. */
  retry: boolean;
  onStart?: (replica: Replica) => void;
  onFinish?: (replica: Replica) => void;
}

export async function forward(pool: FunctionPool, request: Request, path: string, body: ArrayBuffer | undefined, options: ForwardOptions): Promise<Response> {
  const headers = new Headers();
  request.headers.forEach((value, key) => {
    if (!HOP_BY_HOP.has(key)) headers.set(key, value);
  });
  let attempts = options.retry ? 2 : 1;
  for (;;) {
    attempts--;
    const replica = await pool.acquire(options.queueTimeoutMs);
    options.onStart?.(replica);
    try {
      const upstream = await fetch(`http://127.0.0.1:${replica.port}${path}`, {
        method: request.method,
        headers,
        ...(body === undefined ? {} : { body }),
        signal: AbortSignal.timeout(options.requestTimeoutMs),
      });
      const payload = await upstream.arrayBuffer();
      const out = new Headers();
      upstream.headers.forEach((value, key) => {
        if (!HOP_BY_HOP.has(key)) out.set(key, value);
      });
      return new Response(payload, { status: upstream.status, headers: out });
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

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { message?: string; code?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message ?? String(error);
}
