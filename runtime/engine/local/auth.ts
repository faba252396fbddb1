/**
 * @module Optional bearer-token auth at the local gateway (`switchyard up --auth-token-file`), in the spirit of
 * the HTTPBearer security scheme of Seldon's engine API.
 *
 * Every request needs `Authorization: Bearer <token>`, except the health, metrics and status endpoints
 * (`OPEN_PATHS`: probes and scrapers carry no token, and these answer no payloads) and the OTLP receiver
 * the engine's own functions export spans to. Without a valid token the answer is a 401 with
 * `WWW-Authenticate: Bearer` (RFC 6750) and a protocol-correct body: V2 `{error}` under /v2, a Seldon
 * `status` elsewhere. The comparison is constant-time (both sides hashed, then `timingSafeEqual`).
 *
 * The orchestrator's own calls to `/_fn/<function>/…` pass because it forwards the caller's Authorization
 * header on every node call; functions themselves listen on 127.0.0.1 only.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { errorFieldPath } from '../../protocol/errors.ts';

/** Paths answered without a token: exact paths, or prefixes ending in `/`. */
export const OPEN_PATHS: readonly string[] = ['/health/', '/v2/health/', '/metrics', '/_switchyard/status', '/v1/traces'];

export function isOpenPath(path: string): boolean {
  return OPEN_PATHS.some((open) => (open.endsWith('/') ? path.startsWith(open) : path === open));
}

export type TokenCheck = 'ok' | 'missing' | 'invalid';

/** Whether an Authorization header carries `token` as a bearer token, compared in constant time. */
export function checkBearer(header: string | null | undefined, token: string): TokenCheck {
  if (header === null || header === undefined || header.trim() === '') return 'missing';
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header.trim());
  if (match === null) return 'invalid';
  const given = createHash('sha256').update(match[1] as string).digest();
  const expected = createHash('sha256').update(token).digest();
  return timingSafeEqual(given, expected) ? 'ok' : 'invalid';
}

/** Checks a token is usable: non-empty, no whitespace (it must fit in one `Bearer` header). */
export function validateToken(token: string, source: string): string {
  const trimmed = token.trim();
  if (trimmed === '') throw new Error(`${source} is empty: put the bearer token in it`);
  if (/\s/.test(trimmed)) throw new Error(`${source} holds whitespace inside the token; a bearer token is one word`);
  return trimmed;
}

/** The Hono middleware: 401s every request to a non-open path that lacks the token. */
export function bearerAuth(token: string): MiddlewareHandler {
  return async (c, next) => {
    if (isOpenPath(c.req.path)) return next();
    const result = checkBearer(c.req.header('authorization'), token);
    if (result === 'ok') return next();
    const info =
      result === 'missing'
        ? 'authentication required: send the header "Authorization: Bearer <token>"'
        : 'the bearer token is not valid: send the header "Authorization: Bearer <token>" with the token this gateway was started with';
    c.header('WWW-Authenticate', result === 'missing' ? 'Bearer realm="switchyard"' : 'Bearer realm="switchyard", error="invalid_token"');
    if (errorFieldPath(c.req.path)) return c.json({ error: info }, 401);
    return c.json({ status: { code: 401, info, reason: 'unauthenticated', status: 'FAILURE' } }, 401);
  };
}
