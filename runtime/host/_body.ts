/**
 * @module Reading a request body as JSON with a size limit: 413 past the limit, 400 for empty or malformed
 * JSON, and Seldon's form encoding (`json=<message>`, wrapper.oas3.json) accepted too.
 */
import { ProtocolError, REASONS } from '../protocol/errors.ts';
import { assertSafeJson } from '../protocol/json-guard.ts';
import { requireBodyKind, type BodyKind } from '../protocol/media-type.ts';

export const DEFAULT_BODY_LIMIT_BYTES = 10 * 1024 * 1024;

/** One decoder for every request (decoding whole buffers keeps no state between calls). */
const utf8 = new TextDecoder();

/** The body as text, refusing more than `limit` bytes (by Content-Length when given, else while reading). */
export async function readBodyText(request: Request, limit: number): Promise<string> {
  return utf8.decode(await readBodyBytes(request, limit));
}

/** The body's bytes, refusing more than `limit` bytes (by Content-Length when given, else while reading). */
export async function readBodyBytes(request: Request, limit: number): Promise<Uint8Array> {
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > limit) throw tooLarge(limit, Number(declared));
  // A declared length within the limit bounds the body (the HTTP parser holds the sender to it): read it whole,
  // which a function's IncomingRequest (./lite-fetch/request.ts) does straight from the socket, without the web
  // stream `request.body` would build.
  if (declared !== null && /^\d+$/.test(declared.trim())) return new Uint8Array(await request.arrayBuffer());
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return all;
}

/**
 * Parse a body as JSON; a form-encoded body must carry the JSON in its `json` field; `text/plain` is read as
 * JSON too (what `fetch` sends for a string body). Other content types are a 415 naming `endpoint` and what
 * it accepts (`accepted`, default JSON, form and text).
 */
export function parseJsonBody(
  text: string,
  contentType: string | null,
  endpoint = 'this endpoint',
  accepted: readonly BodyKind[] = ['json', 'form', 'text'],
): unknown {
  let json = text;
  if (requireBodyKind(contentType, accepted, endpoint) === 'form') {
    const field = new URLSearchParams(text).get('json');
    if (field === null) {
      throw new ProtocolError('the form-encoded body has no "json" field: send json=<JSON message>, or send application/json', {
        reason: REASONS.invalidJson,
        field: 'json',
      });
    }
    json = field;
  }
  return parseJsonText(json);
}

export function parseJsonText(text: string): unknown {
  if (text.trim() === '') {
    throw new ProtocolError('the request body is empty: send a JSON document', { reason: REASONS.invalidJson });
  }
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (error) {
    throw new ProtocolError(`the request body is not valid JSON: ${(error as Error).message}`, { reason: REASONS.invalidJson });
  }
  assertSafeJson(value);
  return value;
}

function tooLarge(limit: number, declared?: number): ProtocolError {
  const size = declared === undefined ? `more than ${limit} bytes` : `${declared} bytes`;
  return new ProtocolError(`the request body is too large: the limit is ${limit} bytes, received ${size}`, {
    status: 413,
    reason: REASONS.payloadTooLarge,
  });
}
