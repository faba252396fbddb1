/**
 * @module Which request content types an endpoint accepts, with a 415 that says what to send instead.
 *
 * - `json`: `application/json`, any `…/…+json`, or no content type at all (curl-friendly);
 * - `form`: `application/x-www-form-urlencoded` carrying the JSON in its `json` field (Seldon's wrapper API);
 * - `text`: `text/*` (Seldon's engine API: a prediction body becomes `strData`; elsewhere it is read as JSON);
 * - `binary`: `application/octet-stream` (Seldon's engine API: the body becomes `binData`).
 */
import { ProtocolError, REASONS } from './errors.ts';

export type BodyKind = 'json' | 'form' | 'text' | 'binary';

const DESCRIBE: Record<BodyKind, string> = {
  json: 'application/json',
  form: 'application/x-www-form-urlencoded (json=<message>)',
  text: 'text/plain',
  binary: 'application/octet-stream',
};

/** The media type of a Content-Type header, lower-cased, without parameters ('' when absent). */
export function mediaTypeOf(header: string | null | undefined): string {
  if (header === null || header === undefined) return '';
  return (header.split(';')[0] ?? '').trim().toLowerCase();
}

/** The kind of body a Content-Type header announces, or undefined for one no endpoint accepts. */
export function bodyKindOf(header: string | null | undefined): BodyKind | undefined {
  const type = mediaTypeOf(header);
  if (type === '' || type === 'application/json' || /^[a-z0-9.+-]+\/[a-z0-9.+-]+\+json$/.test(type)) return 'json';
  if (type === 'application/x-www-form-urlencoded') return 'form';
  if (type.startsWith('text/')) return 'text';
  if (type === 'application/octet-stream') return 'binary';
  return undefined;
}

/**
 * The body kind of a request to `endpoint`, which accepts `accepted`; anything else is a 415 naming the
 * received type and the accepted ones. `hint` is added to the message (e.g. why octet-stream is refused).
 */
export function requireBodyKind(header: string | null | undefined, accepted: readonly BodyKind[], endpoint: string, hint = ''): BodyKind {
  const kind = bodyKindOf(header);
  if (kind !== undefined && accepted.includes(kind)) return kind;
  const list = accepted.map((k) => DESCRIBE[k]).join(', or ');
  throw new ProtocolError(
    `content-type: ${endpoint} does not accept "${mediaTypeOf(header)}"; expected ${list}${hint === '' ? '' : `. ${hint}`}`,
    { status: 415, reason: REASONS.unsupportedMediaType, field: 'content-type' },
  );
}
