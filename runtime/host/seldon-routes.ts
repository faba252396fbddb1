/**
 * @module Seldon's internal component paths on a function: POST (JSON, form `json=`, or a packed body from the
 * orchestrator: protocol/packed-body.ts, answered packed when it asks) and GET `?json=`
 * for /predict, /transform-input, /transform-output, /aggregate, /route and /send-feedback.
 */
import type { Context, Hono } from 'hono';
import { ProtocolError, REASONS } from '../protocol/errors.ts';
import { parseSeldonFeedback, parseSeldonMessage, parseSeldonMessageList } from '../protocol/seldon-schema.ts';
import type { SeldonMessage } from '../protocol/seldon-types.ts';
import { parseJsonBody, parseJsonText, readBodyBytes, readBodyText } from './_body.ts';
import { PACKED_CONTENT_TYPE, PACKED_JSON_LENGTH_HEADER, acceptsPacked, isPackedContentType, packBody, unpackBody, withJsonSafeValues } from '../protocol/packed-body.ts';
import type { Lifecycle } from './lifecycle.ts';
import type { NodeHandlers } from './types.ts';

export type MessageHandlerName = 'predict' | 'transformInput' | 'transformOutput' | 'aggregate' | 'route' | 'sendFeedback';

export interface SeldonPath {
  path: string;
  handler: MessageHandlerName;
  parse: (json: unknown) => unknown;
}

/** Each Seldon component path, the handler behind it and how its body is parsed. */
export const SELDON_PATHS: readonly SeldonPath[] = [
  { path: '/predict', handler: 'predict', parse: (json) => parseSeldonMessage(json) },
  { path: '/transform-input', handler: 'transformInput', parse: (json) => parseSeldonMessage(json) },
  { path: '/transform-output', handler: 'transformOutput', parse: (json) => parseSeldonMessage(json) },
  { path: '/aggregate', handler: 'aggregate', parse: parseSeldonMessageList },
  { path: '/route', handler: 'route', parse: (json) => parseSeldonMessage(json) },
  { path: '/send-feedback', handler: 'sendFeedback', parse: parseSeldonFeedback },
];

/** The paths a node's handlers serve, for messages that say what is available. */
export function servedPaths(handlers: NodeHandlers): string[] {
  return SELDON_PATHS.filter((p) => typeof handlers[p.handler] === 'function').map((p) => p.path);
}

export function registerSeldonRoutes(app: Hono, deps: { lifecycle: Lifecycle; bodyLimitBytes: number }): void {
  const { lifecycle, bodyLimitBytes } = deps;
  for (const route of SELDON_PATHS) {
    const serve = async (c: Context) => {
      const leave = lifecycle.enter();
      try {
        const node = lifecycle.requireNode();
        const fn = node.handlers[route.handler] as ((input: unknown) => Promise<SeldonMessage>) | undefined;
        if (typeof fn !== 'function') {
          const served = servedPaths(node.handlers);
          throw new ProtocolError(
            `${route.path} is not implemented by this node; it serves ${served.length === 0 ? 'no Seldon component path' : served.join(', ')}`,
            { status: 404, reason: REASONS.notImplemented },
          );
        }
        const contentType = c.req.header('content-type') ?? null;
        const json =
          c.req.method === 'GET'
            ? parseJsonText(c.req.query('json') ?? '')
            : isPackedContentType(contentType)
              ? unpackBody(await readBodyBytes(c.req.raw, bodyLimitBytes), c.req.header(PACKED_JSON_LENGTH_HEADER))
              : parseJsonBody(await readBodyText(c.req.raw, bodyLimitBytes), contentType, `POST ${route.path}`);
        const input = route.parse(json);
        const result = await fn.call(node.handlers, input);
        if (result === null || typeof result !== 'object') {
          throw new ProtocolError(`${route.handler} returned ${String(result)} instead of a Seldon message`, {
            status: 500,
            reason: REASONS.badOutput,
          });
        }
        const answer = withRequestPuid(result, input);
        // The orchestrator asks for tensors packed: they go back as bytes, not as numbers in JSON.
        const packed = acceptsPacked(c.req.header('accept')) ? packBody(answer) : undefined;
        if (packed !== undefined) {
          return c.body(packed.bytes as Uint8Array<ArrayBuffer>, 200, { 'content-type': PACKED_CONTENT_TYPE, [PACKED_JSON_LENGTH_HEADER]: String(packed.headerLength) });
        }
        return c.json(withJsonSafeValues(answer));
      } finally {
        leave();
      }
    };
    app.post(route.path, serve);
    app.get(route.path, serve);
  }
}

/** Seldon propagates the request's `meta.puid` into the response; add it when the handler did not. */
function withRequestPuid(response: SeldonMessage, input: unknown): SeldonMessage {
  const puid = requestPuid(input);
  if (puid === undefined || response.meta?.puid !== undefined) return response;
  return { ...response, meta: { ...response.meta, puid } };
}

function requestPuid(input: unknown): string | undefined {
  const record = input as { meta?: { puid?: string }; request?: { meta?: { puid?: string } }; seldonMessages?: SeldonMessage[] };
  return record.meta?.puid ?? record.request?.meta?.puid ?? record.seldonMessages?.find((m) => m.meta?.puid !== undefined)?.meta?.puid;
}
