/**
 * @module The gateway's trace endpoints: the OTLP/HTTP receiver its functions export to, and the read API.
 *
 * - `POST /v1/traces`: OTLP/HTTP with a JSON body (`content-type: application/json`, optionally gzip), or a span
 *   batch from the engine's own functions (`content-type: application/vnd.switchyard.spans+json`,
 *   runtime/tracing/span-batch.ts: the same spans, cheaper to write and to read). Answers `{}` or
 *   `{"partialSuccess": {"rejectedSpans": n, "errorMessage": …}}`; a body that is not what its content type says
 *   gets 400 with a `google.rpc.Status` (`{code: 3, message}`), protobuf 415, too large 413.
 * - `GET /_switchyard/traces[?limit=50][&errors=true][&node=NAME]`: recent traces, newest first (`TraceList`); only
 *   failed requests, only those whose route went through a node.
 * - `GET /_switchyard/traces/<trace-id>`: one trace's spans in waterfall order (`TraceView`).
 */
import { gunzipSync } from 'node:zlib';
import type { Context, Hono } from 'hono';
import { SPAN_BATCH_CONTENT_TYPE } from '../../../tracing/span-batch.ts';
import { TraceRequestError, type DecodedSpans } from './decoded.ts';
import { decodeOtlpTraces } from './otlp-json.ts';
import { decodeSpanBatch } from './span-batch-decode.ts';
import type { TraceStore } from './store.ts';

const INVALID_ARGUMENT = 3;
const DECODERS = new Map<string, (body: unknown) => DecodedSpans>([
  ['application/json', decodeOtlpTraces],
  [SPAN_BATCH_CONTENT_TYPE, decodeSpanBatch],
]);
const TRACE_ID = /^[0-9a-fA-F]{32}$/;

export interface TraceRoutesOptions {
  store: TraceStore;
  /** Largest OTLP body accepted (after decompression). */
  bodyLimitBytes: number;
}

export function registerTraceRoutes(app: Hono, { store, bodyLimitBytes }: TraceRoutesOptions): void {
  app.post('/v1/traces', async (c) => {
    const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    const decode = DECODERS.get(type);
    if (decode === undefined) {
      return rpcError(c, 415, `content-type "${type || '(none)'}" is not accepted: this receiver takes OTLP/HTTP JSON (content-type: application/json), not protobuf`);
    }
    let text: string;
    try {
      text = await readBody(c, bodyLimitBytes);
    } catch (error) {
      return rpcError(c, (error as { status?: number }).status ?? 400, (error as Error).message);
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      return rpcError(c, 400, `the body is not valid JSON: ${(error as Error).message}`);
    }
    try {
      const decoded = decode(body);
      store.add(decoded.spans);
      if (decoded.rejected === 0) return c.json({});
      return c.json({ partialSuccess: { rejectedSpans: decoded.rejected, errorMessage: decoded.errors.join('; ') } });
    } catch (error) {
      if (error instanceof TraceRequestError) return rpcError(c, 400, error.message);
      throw error;
    }
  });

  app.get('/_switchyard/traces', (c) => {
    const raw = c.req.query('limit');
    const limit = raw === undefined ? 50 : Number(raw);
    if (!Number.isInteger(limit) || limit < 1) {
      return c.json({ error: `limit: expected a positive integer; received "${raw}"` }, 400);
    }
    const errors = c.req.query('errors');
    if (errors !== undefined && errors !== 'true' && errors !== 'false') {
      return c.json({ error: `errors: expected true or false; received "${errors}"` }, 400);
    }
    const node = c.req.query('node');
    if (node === '') return c.json({ error: 'node: expected a node name; received an empty one' }, 400);
    return c.json(store.list(limit, { errors: errors === 'true', ...(node === undefined ? {} : { node }) }));
  });

  app.get('/_switchyard/traces/:id', (c) => {
    const id = c.req.param('id');
    if (!TRACE_ID.test(id)) return c.json({ error: `trace id "${id}" is not 32 hex digits (the trace-id of a response's meta.tags or traceparent)` }, 400);
    const view = store.get(id);
    if (view === undefined) {
      return c.json({ error: `no trace ${id.toLowerCase()} here: the engine keeps the ${store.capacity} most recent traces, and spans arrive a moment after the response` }, 404);
    }
    return c.json(view);
  });
}

async function readBody(c: Context, limit: number): Promise<string> {
  const tooLarge = () => Object.assign(new Error(`the body is larger than the limit of ${limit} bytes`), { status: 413 });
  if (Number(c.req.header('content-length') ?? 0) > limit) throw tooLarge();
  let bytes = Buffer.from(await c.req.arrayBuffer());
  const encoding = (c.req.header('content-encoding') ?? 'identity').trim().toLowerCase();
  if (encoding === 'gzip') {
    try {
      bytes = gunzipSync(bytes, { maxOutputLength: limit });
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge();
      throw new Error(`the body is not valid gzip: ${(error as Error).message}`);
    }
  } else if (encoding !== 'identity') {
    throw Object.assign(new Error(`content-encoding "${encoding}" is not supported: send gzip or no encoding`), { status: 415 });
  }
  if (bytes.byteLength > limit) throw tooLarge();
  return bytes.toString('utf8');
}

function rpcError(c: Context, status: number, message: string): Response {
  return c.json({ code: INVALID_ARGUMENT, message }, status as 400);
}
