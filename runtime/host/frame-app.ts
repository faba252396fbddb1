/**
 * @module A function's app (Hono's `app.fetch`) served over the local engine's frame transport
 * (runtime/frames): each request frame becomes an `IncomingRequest` over the bytes that came, and the app's
 * answer goes back as one response frame. The app cannot tell it from a request over HTTP: the same headers
 * (with Content-Length set to the body's size, so body limits apply as they do over HTTP), the same URL.
 */
import type { FrameAnswer, FrameHandler, FrameRequest } from '../frames/server.ts';
import { IncomingRequest } from './lite-fetch/request.ts';
import { LiteResponse } from './lite-fetch/response.ts';
import type { FetchApp } from './request-listener.ts';

/** The Host the URL of a framed request is made with when the caller sent none. */
const FRAME_HOST = 'localhost';

export function frameHandler(app: FetchApp): FrameHandler {
  return async (frame: FrameRequest): Promise<FrameAnswer> => {
    const { rawHeaders, host } = framedHeaders(frame.headers, frame.body.byteLength);
    const request = new IncomingRequest({ method: frame.method, rawHeaders, body: frame.body }, `http://${host ?? FRAME_HOST}${frame.path}`);
    return answerOf(await app.fetch(request as unknown as Request));
  };
}

async function answerOf(response: Response): Promise<FrameAnswer> {
  const parts = LiteResponse.take(response);
  if (parts !== undefined) {
    const headers: Record<string, string> = {};
    parts.headers.forEach((value, name) => (headers[name] = value));
    return { status: parts.status, headers, body: parts.body ?? undefined };
  }
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => (headers[name] = value));
  return { status: response.status, headers, body: response.body === null ? undefined : new Uint8Array(await response.arrayBuffer()) };
}

/** The raw header list without any Content-Length or Transfer-Encoding, plus the body's real length; and the Host. */
function framedHeaders(raw: readonly string[], length: number): { rawHeaders: string[]; host: string | undefined } {
  const rawHeaders: string[] = [];
  let host: string | undefined;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    if (name === 'content-length' || name === 'transfer-encoding') continue;
    if (name === 'host') host ??= raw[i + 1];
    rawHeaders.push(raw[i]!, raw[i + 1]!);
  }
  rawHeaders.push('content-length', String(length));
  return { rawHeaders, host };
}
