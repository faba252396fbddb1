/**
 * @module A node:http request listener around a fetch-style app (Hono's `app.fetch`), in place of
 * @hono/node-server, whose import alone loads undici (it extends Node's global `Request`, `Response` and
 * `Headers`) and HTTP/2: about 13 MiB resident in every idle function (bench/: memory).
 *
 * The app gets an `IncomingRequest` (./lite-fetch/request.ts) and `{incoming, outgoing}` as its env. Its answer is
 * written straight from a `LiteResponse`'s text or bytes, or read from any other Response's body stream with
 * back-pressure. A request without a usable URL (no Host, a bad target) is a 400; an app that throws is a 500; a
 * client that goes away aborts `request.signal`. A request body the app left unread is drained (at most 64 MiB or
 * 0.5 s, then the connection is closed) so the keep-alive connection can serve the next request.
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { LiteHeaders } from './lite-fetch/headers.ts';
import { IncomingRequest, RequestTargetError, requestUrl } from './lite-fetch/request.ts';
import { LiteResponse } from './lite-fetch/response.ts';

export interface FetchApp {
  fetch(request: Request, env?: unknown): Response | Promise<Response>;
}

/** What the app answers with: a Fetch `Response` or a `LiteResponse`. */
interface AnyResponse {
  status: number;
  statusText: string;
  headers: { forEach(cb: (value: string, name: string) => void): void; getSetCookie?(): string[] };
  body: ReadableStream<Uint8Array> | null;
}

const DRAIN_MAX_BYTES = 64 * 1024 * 1024;
const DRAIN_MAX_MS = 500;

export function requestListener(app: FetchApp): (incoming: IncomingMessage, outgoing: ServerResponse) => void {
  return (incoming, outgoing) => {
    outgoing.once('finish', () => drainUnread(incoming));
    let request: IncomingRequest;
    try {
      request = new IncomingRequest(incoming, requestUrl(incoming));
    } catch (error) {
      const message = error instanceof RequestTargetError ? error.message : 'the request target is not valid';
      writeText(outgoing, 400, `bad request: ${message}\n`);
      return;
    }
    outgoing.once('close', () => {
      if (!outgoing.writableFinished) request.abort('the client closed the connection before the answer was sent');
    });
    let answer: Response | Promise<Response>;
    try {
      answer = app.fetch(request as unknown as Request, { incoming, outgoing });
    } catch (error) {
      failed(outgoing, error);
      return;
    }
    if (answer instanceof Promise) answer.then((response) => write(response, outgoing), (error: unknown) => failed(outgoing, error));
    else write(answer, outgoing);
  };
}

function write(response: unknown, outgoing: ServerResponse): void {
  try {
    writeResponse(response, outgoing);
  } catch (error) {
    // node:http refuses the status or a header value (ERR_INVALID_CHAR, ERR_HTTP_INVALID_STATUS_CODE).
    failed(outgoing, error);
  }
}

function writeResponse(response: unknown, outgoing: ServerResponse): void {
  const parts = LiteResponse.take(response);
  if (parts !== undefined) {
    const headers = LiteHeaders.toNode(parts.headers) as OutgoingHttpHeaders;
    if (parts.body !== null && headers['content-length'] === undefined) {
      headers['content-length'] = typeof parts.body === 'string' ? Buffer.byteLength(parts.body) : parts.body.byteLength;
    }
    outgoing.writeHead(parts.status, parts.statusText || undefined, headers);
    outgoing.end(parts.body ?? undefined);
    return;
  }
  void writeStreamed(response as AnyResponse, outgoing).catch((error: unknown) => failed(outgoing, error));
}

async function writeStreamed(response: AnyResponse, outgoing: ServerResponse): Promise<void> {
  const headers: OutgoingHttpHeaders = {};
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value;
  });
  const cookies = response.headers.getSetCookie?.() ?? [];
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  outgoing.writeHead(response.status, response.statusText || undefined, headers);
  const body = response.body;
  if (body === null) {
    outgoing.end();
    return;
  }
  const reader = body.getReader();
  const closed = new Promise<'closed'>((resolve) => outgoing.once('close', () => resolve('closed')));
  for (;;) {
    const next = await Promise.race([reader.read(), closed]);
    if (next === 'closed') {
      await reader.cancel().catch(() => undefined);
      return;
    }
    if (next.done) break;
    if (!outgoing.write(next.value)) {
      const drained = new Promise<'drained'>((resolve) => outgoing.once('drain', () => resolve('drained')));
      if ((await Promise.race([drained, closed])) === 'closed') {
        await reader.cancel().catch(() => undefined);
        return;
      }
    }
  }
  outgoing.end();
}

/** An app that threw instead of answering (Hono answers its handlers' errors itself): 500, 504 for a timeout. */
function failed(outgoing: ServerResponse, error: unknown): void {
  if (outgoing.headersSent) {
    outgoing.destroy();
    return;
  }
  const timeout = error instanceof Error && error.name === 'TimeoutError';
  writeText(outgoing, timeout ? 504 : 500, timeout ? 'the request timed out\n' : 'internal server error\n');
}

function writeText(outgoing: ServerResponse, status: number, text: string): void {
  outgoing.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  outgoing.end(text);
}

/** node:http discards what is left of a request body after the answer; bound that, then give up the connection. */
function drainUnread(incoming: IncomingMessage): void {
  if (incoming.readableEnded || incoming.destroyed) return;
  let bytes = 0;
  const stop = () => {
    clearTimeout(timer);
    incoming.off('data', count);
    incoming.off('end', stop);
  };
  const giveUp = () => {
    stop();
    incoming.socket?.destroy();
  };
  const count = (chunk: Buffer) => {
    bytes += chunk.byteLength;
    if (bytes > DRAIN_MAX_BYTES) giveUp();
  };
  const timer = setTimeout(giveUp, DRAIN_MAX_MS);
  timer.unref();
  incoming.on('data', count);
  incoming.once('end', stop);
  incoming.resume();
}
