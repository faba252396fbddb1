/**
 * @module A lean HTTP/1.1 client for calls between Switchyard's own processes (gateway → function,
 * orchestrator → gateway): node:http over a keep-alive connection pool, whole bodies as Buffers.
 *
 * Why not `fetch`: on the hot path every hop pays for it, and undici's fetch (WHATWG streams, Request and
 * Response objects, header lists) costs several times what node:http does for small JSON bodies. Connections
 * are reused (keep-alive, LIFO so the warmest socket goes first); bodies are sent with Content-Length in one
 * write. `keepAliveFetch` wraps the same call in fetch's signature for code that wants a `Response`.
 */
import http from 'node:http';

export interface HttpCall {
  method: string;
  /** Path and query, e.g. `/predict`. */
  path: string;
  headers: Record<string, string>;
  /** A list of chunks is sent as it is, without joining them first (a proxied body, as it was read). */
  body?: Uint8Array | string | readonly Uint8Array[] | undefined;
  /** Abort after this long with a `TimeoutError` (none when absent). */
  timeoutMs?: number | undefined;
  /** Abort when this signal does (with its reason). */
  signal?: AbortSignal | undefined;
}

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A keep-alive connection pool: one socket per concurrent call, idle sockets kept for reuse. */
export function createKeepAliveAgent(): http.Agent {
  return new http.Agent({ keepAlive: true, maxFreeSockets: 256, scheduling: 'lifo' });
}

/** An error named `TimeoutError`, as `AbortSignal.timeout` raises, so callers tell timeouts from failures. */
export function timeoutError(ms: number): Error {
  const error = new Error(`no answer within ${ms} ms`);
  error.name = 'TimeoutError';
  return error;
}

/** What a call whose signal aborted rejects with: the signal's reason, or an `AbortError`. */
export function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : Object.assign(new Error('aborted'), { name: 'AbortError' });
}

/** One request to `host:port` over `agent`; resolves with the whole answer, rejects on connection errors. */
export function httpCall(agent: http.Agent, host: string, port: number, call: HttpCall): Promise<HttpAnswer> {
  return new Promise<HttpAnswer>((resolve, reject) => {
    const headers: Record<string, string | number> = { ...call.headers };
    const body = call.body;
    if (body !== undefined) headers['content-length'] = typeof body === 'string' ? Buffer.byteLength(body) : isChunkList(body) ? chunkListLength(body) : body.byteLength;
    const req = http.request({ agent, host, port, method: call.method, path: call.path, headers }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.length;
      });
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 502, headers: res.headers, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size) });
      });
      res.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
    const limit = call.timeoutMs;
    const timer = limit === undefined ? undefined : setTimeout(() => req.destroy(timeoutError(limit)), limit);
    const signal = call.signal;
    const onAbort = () => req.destroy(abortError(signal!));
    if (signal !== undefined) {
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
      req.once('close', () => signal.removeEventListener('abort', onAbort));
    }
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    if (body === undefined || !isChunkList(body)) {
      req.end(body);
      return;
    }
    req.cork();
    for (const chunk of body) req.write(chunk);
    req.end();
  });
}

function isChunkList(body: Uint8Array | string | readonly Uint8Array[]): body is readonly Uint8Array[] {
  return Array.isArray(body);
}

function chunkListLength(chunks: readonly Uint8Array[]): number {
  let size = 0;
  for (const chunk of chunks) size += chunk.byteLength;
  return size;
}

/** Response headers as a plain record (repeated headers joined with ", ", as fetch's `get` does), without `skip`. */
export function plainHeaders(headers: http.IncomingHttpHeaders, skip?: ReadonlySet<string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key in headers) {
    if (skip?.has(key)) continue;
    const value = headers[key];
    if (value === undefined) continue;
    out[key] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/**
 * `fetch`'s signature over `httpCall` for plain-HTTP URLs with a string or Uint8Array body (or none); `signal`
 * is honoured (AbortSignal.timeout rejects with its TimeoutError). Anything else goes to the global `fetch`.
 */
export function keepAliveFetch(options: { agent?: http.Agent } = {}): typeof fetch {
  const agent = options.agent ?? createKeepAliveAgent();
  return (async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    // A Request is what is neither a string nor a URL: `instanceof Request` would touch the global class, whose
    // first use loads undici (about 13 MiB in an idle function that never needs it).
    const isRequest = typeof input !== 'string' && !(input instanceof URL);
    const url = isRequest ? new URL(input.url) : typeof input === 'string' ? new URL(input) : input;
    const body = init.body;
    if (url.protocol !== 'http:' || isRequest || (body != null && typeof body !== 'string' && !(body instanceof Uint8Array))) {
      return fetch(input, init);
    }
    const signal = init.signal ?? undefined;
    signal?.throwIfAborted();
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, key) => (headers[key] = value));
    const answer = await httpCall(agent, url.hostname, Number(url.port || 80), {
      method: init.method ?? 'GET',
      path: url.pathname + url.search,
      headers,
      body: body ?? undefined,
      signal,
    });
    const status = answer.status;
    const nullBody = status === 204 || status === 304 || (status >= 100 && status < 200);
    return new Response(nullBody ? null : answer.body, { status, headers: plainHeaders(answer.headers) });
  }) as typeof fetch;
}
