/**
 * @module Reading the graph's request bodies as Seldon's engine API allows (engine.oas3.json): predictions as
 * `application/json` (or form `json=`), `text/*` (the text becomes `strData`) or `application/octet-stream`
 * (the bytes become `binData`); feedback as JSON. Every body is size-limited (413), JSON is checked for depth
 * and prototype keys, and other content types are a 415 saying what to send.
 */
import { parseJsonBody, readBodyBytes } from '../host/_body.ts';
import { ProtocolError, REASONS } from '../protocol/errors.ts';
import { requireBodyKind } from '../protocol/media-type.ts';
import { bytesToBase64 } from '../protocol/seldon-payload.ts';

/** A prediction request's body as the JSON Seldon message it stands for (not yet validated). */
export async function readPredictionBody(request: Request, limit: number, endpoint: string): Promise<unknown> {
  const bytes = await readBodyBytes(request, limit);
  const contentType = request.headers.get('content-type');
  const kind = requireBodyKind(contentType, ['json', 'form', 'text', 'binary'], endpoint, 'A text/* body is sent as strData, an octet-stream body as binData');
  if (kind === 'json' || kind === 'form') return parseJsonBody(new TextDecoder().decode(bytes), contentType, endpoint);
  if (bytes.byteLength === 0) {
    throw new ProtocolError(`the request body is empty: send the ${kind === 'text' ? 'text (strData)' : 'bytes (binData)'} to predict on`, {
      reason: REASONS.invalidMessage,
    });
  }
  return kind === 'text' ? { strData: new TextDecoder().decode(bytes) } : { binData: bytesToBase64(bytes) };
}

/** A JSON (or form `json=`) body, for feedback. */
export async function readJsonBody(request: Request, limit: number, endpoint: string): Promise<unknown> {
  const bytes = await readBodyBytes(request, limit);
  return parseJsonBody(new TextDecoder().decode(bytes), request.headers.get('content-type'), endpoint);
}
