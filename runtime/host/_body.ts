/**
 * @module Reading a request body as JSON with a size limit: 413 past the limit, 400 for empty or malformed
 * JSON, and Seldon's form encoding (`json=<message>`, wrapper.oas3.json) accepted too.
 */
import { ProtocolError, REASONS } from '../protocol/errors.ts';

export const DEFAULT_BODY_LIMIT_BYTES = 10 * 1024 * 1024;

/** The body as text, refusing more than `limit` bytes (by Content-Length when given, else while reading). */
export async function readBodyText(request: Request, limit: number): Promise<string> {
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > limit) throw tooLarge(limit, Number(declared));
  if (request.body === null) return '';
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
  return new TextDecoder().decode(all);
}

/** Parse a body as JSON; a form-encoded body must carry the JSON in its `json` field. */
export function parseJsonBody(text: string, contentType: string | null): unknown {
  let json = text;
  if (contentType !== null && contentType.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
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
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ProtocolError(`the request body is not valid JSON: ${(error as Error).message}`, { reason: REASONS.invalidJson });
  }
}

function tooLarge(limit: number, declared?: number): ProtocolError {
  const size = declared === undefined ? `more than ${limit} bytes` : `${declared} bytes`;
  return new ProtocolError(`the request body is too large: the limit is ${limit} bytes, received ${size}`, {
    status: 413,
    reason: REASONS.payloadTooLarge,
  });
}
