/**
 * @module `createFunctionApp`: the Hono app that serves one loaded node on Seldon's component paths and the
 * Open Inference Protocol, with health, readiness, metadata, /metrics and drain.
 *
 * Errors never escape: every thrown value becomes a protocol body (V2 `{error}` under /v2, Seldon
 * `{status: {…}}` elsewhere) naming the node, with its status (503 + Retry-After while loading).
 */
import { Hono, type Context } from 'hono';
import { routePath } from 'hono/route';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { silentLogger } from '../log.ts';
import { ProtocolError, REASONS, seldonErrorBody, toProtocolError, v2ErrorBody } from '../protocol/errors.ts';
import { DEFAULT_BODY_LIMIT_BYTES } from './_body.ts';
import { RETRY_AFTER_SECONDS, createLifecycle } from './lifecycle.ts';
import { createNodeMetrics } from './metrics.ts';
import { registerSeldonRoutes, servedPaths } from './seldon-routes.ts';
import type { FunctionAppHandle, FunctionAppOptions } from './types.ts';
import { registerV2Routes } from './v2-routes.ts';
import { ATTR_FUNCTION, ATTR_NODE, serverSpanMiddleware } from '../tracing/index.ts';
import { methodNotAllowed } from '../http/allowed-methods.ts';

/** 5xx answers that are expected states, already logged once (loading, load failure, draining), not failures. */
const QUIET_REASONS: ReadonlySet<string> = new Set([REASONS.notReady, REASONS.loadFailed, REASONS.draining, REASONS.unhealthy]);

/**
 * Build a function's app and start loading its node right away.
 *
 * @example
 * const handle = createFunctionApp({ name: 'features', load: () => loadComponentNode(mod, node) });
 * const server = await serve(handle, { port: 8080 });
 * process.on('SIGTERM', async () => { await handle.drain(20_000); await server.close(); await handle.close(); });
 */
export function createFunctionApp({
  name,
  load,
  bodyLimitBytes = DEFAULT_BODY_LIMIT_BYTES,
  log = silentLogger,
  timers,
}: FunctionAppOptions): FunctionAppHandle {
  const metrics = createNodeMetrics(log);
  const lifecycle = createLifecycle({
    name,
    load,
    log,
    timers,
    onLoaded: (node) => node.setMetricsSink?.((m) => metrics.recordCustom(m)),
  });
  const app = new Hono();

  const isHealthy = async (): Promise<boolean> => {
    const node = lifecycle.loadedNode();
    if (node === undefined || lifecycle.draining()) return false;
    if (node.handlers.health === undefined) return true;
    try {
      return (await node.handlers.health()) === true;
    } catch (error) {
      log.warn('health check failed', { error });
      return false;
    }
  };

  const respondError = (c: Context, thrown: unknown): Response => {
    const node = lifecycle.loadedNode();
    const err = toProtocolError(thrown, node?.name);
    if (err.status >= 500 && !QUIET_REASONS.has(err.reason)) {
      log.error('request failed', { path: c.req.path, status: err.status, error: err.message });
    }
    if (err.reason === REASONS.notReady) c.header('Retry-After', String(RETRY_AFTER_SECONDS));
    const body = c.req.path.startsWith('/v2') ? v2ErrorBody(err) : seldonErrorBody(err);
    return c.json(body, err.status as ContentfulStatusCode);
  };

  app.use('*', async function requestMetrics(c, next) {
    const started = performance.now();
    try {
      await next();
    } finally {
      const pattern = routePath(c, -1);
      const label = pattern === '*' || pattern === '/*' ? 'unmatched' : pattern;
      metrics.observeRequest(label, c.res.status, (performance.now() - started) / 1000);
    }
  });
  app.use('*', async function countInflight(c, next) {
    if (c.req.method !== 'POST') return next();
    metrics.inflight.inc();
    try {
      await next();
    } finally {
      metrics.inflight.dec();
    }
  });

  // A server span per POST, continuing the orchestrator's trace (its node-call span is the parent).
  const spanAttributes = () => {
    const node = lifecycle.loadedNode();
    return node === undefined ? { [ATTR_FUNCTION]: name } : { [ATTR_FUNCTION]: name, [ATTR_NODE]: node.name };
  };
  app.use('*', serverSpanMiddleware({ attributes: spanAttributes }));

  app.get('/health/ping', (c) => c.text('pong'));
  app.get('/health/status', async (c) => {
    const node = lifecycle.requireNode();
    if (lifecycle.draining()) throw new ProtocolError(`function "${name}" is draining`, { status: 503, reason: REASONS.draining, node: node.name });
    if (!(await isHealthy())) throw new ProtocolError(`node "${node.name}" reports itself unhealthy`, { status: 503, reason: REASONS.unhealthy, node: node.name });
    return c.json({ status: { code: 200, info: `node "${node.name}" is ready`, reason: 'ready', status: 'SUCCESS' } });
  });
  app.get('/metadata', async (c) => c.json(await lifecycle.requireNode().handlers.metadata()));
  app.get('/metrics', async (c) => c.body(await metrics.registry.metrics(), 200, { 'content-type': metrics.registry.contentType }));

  registerSeldonRoutes(app, { lifecycle, bodyLimitBytes });
  registerV2Routes(app, { name, lifecycle, bodyLimitBytes, isHealthy });

  app.notFound((c) => {
    const wrongMethod = methodNotAllowed(app, c.req.method, c.req.path);
    if (wrongMethod !== undefined) {
      c.header('Allow', wrongMethod.allow);
      return respondError(c, new ProtocolError(wrongMethod.message, { status: 405, reason: REASONS.methodNotAllowed }));
    }
    const node = lifecycle.loadedNode();
    const seldon = node === undefined ? 'its Seldon component paths' : servedPaths(node.handlers).map((p) => `POST ${p}`).join(', ');
    const model = node?.name ?? name;
    return respondError(
      c,
      new ProtocolError(
        `no route for ${c.req.method} ${c.req.path}; function "${name}" serves ${seldon || 'no Seldon component path'}, POST /v2/models/${model}/infer, GET /health/ping, /health/status, /metadata, /metrics`,
        { status: 404, reason: REASONS.notFound },
      ),
    );
  });
  app.onError((error, c) => respondError(c, error));

  return {
    app,
    ready: lifecycle.ready,
    drain: (timeoutMs) => lifecycle.drain(timeoutMs),
    isReady: () => lifecycle.phase() === 'ready' && !lifecycle.draining(),
    close: () => lifecycle.close(),
    registry: metrics.registry,
  };
}
