/**
 * @module The local engine's front door: one HTTP server that routes graph requests to the orchestrator
 * function and the orchestrator's node calls to each function, holding requests while functions start.
 *
 * - Graph paths (`/api/v1.0/*`, `/seldon/<ns>/<graph>/api/v1.0/*`, `/v2/models/*`, `/v2`, KServe V1's `/v1/models/*`) go to the
 *   orchestrator. A request that finds the orchestrator cold wakes every function of the graph at once
 *   (graph-aware activation), so a graph's cold start costs about one function's, not the sum along its path;
 *   `graphActivation: false` turns it off (the cascading cold start, for comparison).
 * - `/_fn/<function>/<path>` is how the orchestrator reaches a function (its SWITCHYARD_ENDPOINTS), over HTTP or,
 *   as the engine sets it up, over the frame transport (runtime/frames): `frameHandler` serves the same relay.
 * - The gateway answers `/health/*`, `/v2/health/*`, `/metrics` and `/_switchyard/status` itself.
 * - `extraRoutes` adds the engine's own pages: the OTLP trace receiver (`POST /v1/traces`), `/_switchyard/traces`
 *   and the web page at `/ui`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Hono, type Context } from 'hono';
import { bearerAuth, checkBearer } from './auth.ts';
import type { FunctionPool } from './function-pool.ts';
import { GatewayError } from './errors.ts';
import { forward, headersFromRaw, headersOf, type ForwardCall } from './proxy.ts';
import type { FrameAnswer, FrameHandler } from '../../frames/server.ts';
import { DOT_SEGMENT, SIMPLE_TARGET } from '../../host/lite-fetch/request.ts';
import type { GatewayMetrics } from './gateway-metrics.ts';
import type { EngineStatus } from './status.ts';
import { methodNotAllowed } from '../../http/allowed-methods.ts';
import { WAKE_HEADER } from '../../orchestrator/graph-activation.ts';
import { errorFieldPath } from '../../protocol/errors.ts';

export interface GatewayOptions {
  /** When set, every request but health, metrics and status needs `Authorization: Bearer <authToken>`. */
  authToken?: string;
  graph: string;
  pools: Map<string, FunctionPool>;
  orchestrator: string;
  metrics: GatewayMetrics;
  status: () => EngineStatus;
  bodyLimitBytes: number;
  queueTimeoutMs: number;
  requestTimeoutMs: number;
  now: () => number;
  /**
   * Wake every function of the graph when a request finds the orchestrator cold (default true). Off, each
   * function cold-starts only when the orchestrator first calls it: the cascading cold start.
   */
  graphActivation?: boolean;
  /** How graph-aware activation starts the functions (default: every cold one at once). */
  activateGraph?: () => void;
  onRequestStart?: (fn: string) => void;
  /** `ms`: from the gateway receiving the request to answering it. */
  onRequestEnd?: (fn: string, ms: number) => void;
  /** More routes the engine serves beside the graph's (trace receiver and API, the /ui page). */
  extraRoutes?: (app: Hono) => void;
}

export interface Gateway {
  /** The HTTP front door. */
  app: Hono;
  /** The orchestrator's calls to functions (`/_fn/<function>/<path>`) over the frame transport. */
  frameHandler: FrameHandler;
  /** Serves a hot route (a graph POST, `/_fn/`) from node:http directly; false: hand the request to `app`. */
  serveFast(incoming: IncomingMessage, outgoing: ServerResponse): boolean;
}

const SELDON_PATH = /^\/seldon\/[^/?]+\/[^/?]+\/api\/v1\.0\//;

/** An answer the gateway relays or makes: status, headers, body. */
interface Relayed {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
}

export function createGateway(options: GatewayOptions): Gateway {
  const app = new Hono();
  // Bearer-token auth, when configured, before every route (health, metrics and status stay open: auth.ts).
  if (options.authToken !== undefined) app.use('*', bearerAuth(options.authToken));
  const { pools } = options;

  /** One request to a function, however it came: counted, timed, activated, queued, forwarded. */
  const relay = async (fn: string, call: ForwardCall, v2: boolean, readBody: () => Promise<Uint8Array[] | undefined>, signal?: AbortSignal): Promise<Relayed> => {
    const pool = pools.get(fn);
    if (pool === undefined) {
      return errorAnswer(new GatewayError({ status: 404, reason: 'unknown_function', function: fn, message: `graph "${options.graph}" has no function "${fn}"` }), v2);
    }
    const started = options.now();
    let status = 500;
    options.onRequestStart?.(fn);
    try {
      const body = await readBody();
      if (fn === options.orchestrator && options.graphActivation !== false && pool.readyCount() === 0) activateGraph();
      const answer = await forward(pool, { ...call, body }, {
        queueTimeoutMs: options.queueTimeoutMs,
        requestTimeoutMs: options.requestTimeoutMs,
        retry: call.method === 'POST' && !call.path.includes('feedback'),
        now: options.now,
        signal,
      });
      status = answer.status;
      // Every 503 the gateway passes on says when to come back, as its own do.
      if (status === 503 && answer.headers['retry-after'] === undefined) answer.headers['retry-after'] = '1';
      return answer;
    } catch (error) {
      const gatewayError = error instanceof GatewayError ? error : new GatewayError({ status: 500, reason: 'gateway_error', function: fn, message: (error as Error).message });
      status = gatewayError.status;
      return errorAnswer(gatewayError, v2);
    } finally {
      const elapsedMs = options.now() - started;
      options.onRequestEnd?.(fn, elapsedMs);
      options.metrics.observe(fn, status, elapsedMs / 1000);
    }
  };

  const pass = async (c: Context, fn: string, path: string, v2: boolean): Promise<Response> => {
    const incoming = incomingOf(c);
    const request = c.req.raw;
    const headers = incoming === undefined ? headersOf(request) : headersFromRaw(incoming.rawHeaders);
    const answer = await relay(fn, { method: request.method, path, headers }, v2, () => readBody(request, incoming, options.bodyLimitBytes, fn), request.signal);
    // A Buffer body and plain headers: @hono/node-server writes it in one go, without a web stream.
    return new Response(answer.body, { status: answer.status, headers: answer.headers });
  };

  /**
   * The hot routes straight from node:http, without Hono's Request and Response: a POST to a graph route or to
   * `/_fn/<function>/…` with a plain target (anything unusual goes the long way, and gets the same answer).
   * False when the request is not one of them.
   */
  const serveFast = (incoming: IncomingMessage, outgoing: ServerResponse): boolean => {
    const target = incoming.url ?? '';
    if (incoming.method !== 'POST' || !SIMPLE_TARGET.test(target) || DOT_SEGMENT.test(target)) return false;
    if (options.authToken !== undefined && checkBearer(incoming.headers.authorization, options.authToken) !== 'ok') return false;
    let fn = options.orchestrator;
    let path = target;
    let v2 = false;
    if (target.startsWith('/_fn/')) {
      const routed = functionRoute(target);
      if (routed === undefined) return false;
      ({ fn, path } = routed);
      v2 = path.includes('/v2/');
    } else if (target.startsWith('/v2/models/') || target.startsWith('/v1/models/')) {
      // KServe V1's errors have the Open Inference Protocol's form, {"error": "..."}.
      v2 = true;
    } else if (!target.startsWith('/api/v1.0/') && !SELDON_PATH.test(target)) {
      return false;
    }
    const abort = new AbortController();
    outgoing.once('close', () => {
      if (!outgoing.writableFinished) abort.abort();
    });
    const headers = headersFromRaw(incoming.rawHeaders);
    const fail = (status: number, reason: string, message: string) => errorAnswer(new GatewayError({ status, reason, function: fn, message }), v2);
    void relay(fn, { method: 'POST', path, headers }, v2, () => readBody(undefined, incoming, options.bodyLimitBytes, fn), abort.signal).then(
      (answer) => {
        if (outgoing.headersSent || outgoing.destroyed) return;
        try {
          send(outgoing, answer);
        } catch {
          // node:http checks header names and values as it writes them: one it refuses is the function's fault.
          send(outgoing, fail(502, 'function_failed', `function "${fn}" answered with a header that is not valid HTTP`));
        }
      },
      (error: unknown) => {
        if (outgoing.headersSent) return void outgoing.destroy();
        send(outgoing, fail(500, 'gateway_error', (error as Error).message));
      },
    );
    return true;
  };

  const frameHandler: FrameHandler = async (frame): Promise<FrameAnswer> => {
    const routed = functionRoute(frame.path);
    if (routed === undefined) {
      return errorAnswer(new GatewayError({ status: 404, reason: 'not_found', function: 'gateway', message: `the frame transport serves /_fn/<function>/<path> only; received ${frame.method} ${frame.path}` }), false);
    }
    const { fn, path } = routed;
    const readFrameBody = async () => {
      if (frame.body.byteLength > options.bodyLimitBytes) throw bodyTooLarge(fn, options.bodyLimitBytes);
      return frame.method === 'GET' || frame.method === 'HEAD' ? undefined : [frame.body];
    };
    return relay(fn, { method: frame.method, path, headers: headersFromRaw(frame.headers) }, path.includes('/v2/'), readFrameBody, frame.signal);
  };

  const activateGraph =
    options.activateGraph ??
    (() => {
      for (const pool of pools.values()) if (pool.stats().ready + pool.stats().starting === 0) pool.activate();
    });

  const pathOf = (c: Context, strip = 0) => {
    const url = new URL(c.req.url);
    const segments = url.pathname.split('/').slice(strip + 1);
    return '/' + segments.join('/') + url.search;
  };

  app.get('/health/ping', (c) => c.text('pong'));
  app.get('/health/status', (c) => c.json({ status: 'ok', graph: options.graph }));
  app.get('/v2/health/live', (c) => c.json({ live: true }));
  app.get('/v2/health/ready', (c) => c.json({ ready: true }));
  app.get('/metrics', async (c) => c.body(await options.metrics.registry.metrics(), 200, { 'content-type': options.metrics.registry.contentType }));
  app.get('/_switchyard/status', (c) => c.json(options.status()));
  options.extraRoutes?.(app);

  // The orchestrator's wake (runtime/orchestrator/graph-activation.ts): start the function, answer at once.
  app.get('/_fn/:fn/health/ping', (c, next) => {
    const pool = pools.get(c.req.param('fn'));
    if (c.req.header(WAKE_HEADER) === undefined || pool === undefined) return next();
    const { ready, starting } = pool.stats();
    if (ready + starting === 0) pool.activate();
    return c.json({ function: pool.name, woken: ready + starting === 0 }, 202);
  });
  app.all('/_fn/:fn/*', (c) => pass(c, c.req.param('fn'), pathOf(c, 2), c.req.path.includes('/v2/')));
  app.all('/api/v1.0/*', (c) => pass(c, options.orchestrator, pathOf(c), false));
  app.all('/seldon/:namespace/:graph/api/v1.0/*', (c) => pass(c, options.orchestrator, pathOf(c), false));
  app.all('/v2', (c) => pass(c, options.orchestrator, pathOf(c), true));
  app.all('/v2/*', (c) => pass(c, options.orchestrator, pathOf(c), true));
  app.all('/v1/models', (c) => pass(c, options.orchestrator, pathOf(c), true));
  app.all('/v1/models/*', (c) => pass(c, options.orchestrator, pathOf(c), true));
  app.notFound((c) => {
    const wrongMethod = methodNotAllowed(app, c.req.method, c.req.path);
    if (wrongMethod !== undefined) {
      const error = new GatewayError({ status: 405, reason: 'method_not_allowed', function: 'gateway', message: wrongMethod.message });
      const response = errorResponse(error, errorFieldPath(c.req.path));
      response.headers.set('allow', wrongMethod.allow);
      return response;
    }
    return errorResponse(
      new GatewayError({
        status: 404, reason: 'not_found', function: 'gateway',
        message: `no route for ${c.req.method} ${c.req.path}: graph "${options.graph}" serves POST /api/v1.0/predictions, POST /api/v1.0/feedback, POST /v2/models/${options.graph}/infer and POST /v1/models/${options.graph}:predict`,
      }),
      errorFieldPath(c.req.path),
    );
  });
  return { app, frameHandler, serveFast };
}

/**
 * The request's body as the chunks it arrived in: read from node's request when served over a socket (no web
 * stream, no joined copy: a 1 MB tensor is passed on as it came, which spares the gateway most of its garbage
 * collection), else through the web Request (in-process `app.request`).
 */
async function readBody(request: Request | undefined, incoming: IncomingMessage | undefined, limit: number, fn: string): Promise<Uint8Array[] | undefined> {
  const method = incoming?.method ?? request?.method;
  if (method === 'GET' || method === 'HEAD') return undefined;
  const declared = Number((incoming === undefined ? request?.headers.get('content-length') : incoming.headers['content-length']) ?? '0');
  const tooLarge = () => bodyTooLarge(fn, limit);
  if (declared > limit) throw tooLarge();
  if (incoming === undefined || incoming.readableEnded || incoming.readableDidRead) {
    if (request === undefined) return [];
    const body = new Uint8Array(await request.arrayBuffer());
    if (body.byteLength > limit) throw tooLarge();
    return [body];
  }
  return new Promise<Uint8Array[]>((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      // Over the limit: answer 413 now and let the rest of the upload drain unread.
      incoming.off('data', onData);
      incoming.resume();
      reject(tooLarge());
    };
    incoming.on('data', onData);
    incoming.once('end', () => resolve(chunks));
    incoming.once('error', reject);
    incoming.once('close', () => {
      if (!incoming.readableEnded) reject(new GatewayError({ status: 400, reason: 'body_incomplete', function: fn, message: 'the connection closed before the whole request body arrived' }));
    });
  });
}

function bodyTooLarge(fn: string, limit: number): GatewayError {
  return new GatewayError({ status: 413, reason: 'body_too_large', function: fn, message: `request body is larger than the limit of ${limit} bytes` });
}

/** `/_fn/<function><path>` → the function and its path (`/` when none), or undefined for another target. */
function functionRoute(target: string): { fn: string; path: string } | undefined {
  const match = /^\/_fn\/([^/?]+)(.*)$/.exec(target);
  if (match === null) return undefined;
  const rest = match[2]!;
  return { fn: decodeURIComponent(match[1]!), path: rest === '' || rest[0] === '?' ? `/${rest}` : rest };
}

/** node's request behind Hono's, when @hono/node-server serves the gateway. */
function incomingOf(c: Context): IncomingMessage | undefined {
  return (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
}

function errorResponse(error: GatewayError, v2: boolean): Response {
  const answer = errorAnswer(error, v2);
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
}

/** Writes an answer whole, with its Content-Length (no chunked encoding for a body that is already complete). */
function send(outgoing: ServerResponse, answer: Relayed): void {
  answer.headers['content-length'] = String(typeof answer.body === 'string' ? Buffer.byteLength(answer.body) : answer.body.byteLength);
  outgoing.writeHead(answer.status, answer.headers);
  outgoing.end(answer.body);
}

/** The gateway's own error, in the protocol of the route it was asked on (V2 `{error}`, else a Seldon status). */
function errorAnswer(error: GatewayError, v2: boolean): Relayed {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (error.retryAfterSeconds !== undefined) headers['retry-after'] = String(error.retryAfterSeconds);
  const body = v2
    ? { error: error.message }
    : { status: { code: error.status, info: error.message, reason: error.reason, status: 'FAILURE' } };
  return { status: error.status, headers, body: JSON.stringify(body) };
}
