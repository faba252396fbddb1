/**
 * @module The orchestrator's HTTP app: Seldon's external API and the Open Inference Protocol for a graph.
 *
 * Seldon: POST /api/v1.0/predictions, POST /api/v1.0/feedback, GET /api/v1.0/metadata (also under
 * /seldon/<namespace>/<graph>/); Switchyard: GET /api/v1.0/routers (each router's learned state).
 * Open Inference Protocol: POST /v2/models/<graph>/infer (and /versions/<v>/infer), model and server
 * metadata, readiness. Health: /health/ping, /health/status, /v2/health/live, /v2/health/ready. /metrics.
 */
import { Hono, type Context } from 'hono';
import { parseSeldonFeedback, parseSeldonMessage } from '../protocol/seldon-schema.ts';
import { ProtocolError, REASONS, seldonErrorResponse, v2ErrorResponse } from '../protocol/errors.ts';
import { parseInferenceRequest } from '../protocol/v2-request.ts';
import { inferenceRequestToSeldon, seldonToInferenceResponse } from '../protocol/v2-seldon.ts';
import type { Orchestrator } from './orchestrator.ts';
import type { OrchestratorMetrics } from './metrics.ts';
import { describeRouters } from './routers-view.ts';

export interface OrchestratorApp {
  app: Hono;
  ready: Promise<void>;
  drain(timeoutMs: number): Promise<void>;
}

export function createOrchestratorApp({
  orchestrator,
  metrics,
  ready = Promise.resolve(),
  version = '0.1.0',
}: {
  orchestrator: Orchestrator;
  metrics: OrchestratorMetrics;
  ready?: Promise<void>;
  version?: string;
}): OrchestratorApp {
  const { plan } = orchestrator;
  const app = new Hono();
  let inflight = 0;
  let draining = false;
  let isReady = false;
  ready.then(() => (isReady = true), () => {});

  app.use('*', async (_c, next) => {
    inflight++;
    try {
      await next();
    } finally {
      inflight--;
    }
  });

  const headersOf = (c: Context): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const name of ['traceparent', 'tracestate', 'authorization']) {
      const value = c.req.header(name);
      if (value) out[name] = value;
    }
    return out;
  };

  const predictions = async (c: Context) => {
    const started = performance.now();
    try {
      const request = parseSeldonMessage(await readJson(c));
      const { response } = await orchestrator.predict(request, headersOf(c));
      metrics.request('seldon', 200, (performance.now() - started) / 1000);
      return c.json(response);
    } catch (error) {
      const { status, body } = seldonErrorResponse(error);
      metrics.request('seldon', status, (performance.now() - started) / 1000);
      return c.json(body, status as 400);
    }
  };
  const feedback = async (c: Context) => {
    const started = performance.now();
    try {
      const result = await orchestrator.feedback(parseSeldonFeedback(await readJson(c)), headersOf(c));
      metrics.request('feedback', 200, (performance.now() - started) / 1000);
      const info = result.applied.length
        ? `reward ${result.reward} applied to ${result.applied.map((a) => `${a.router} arm ${a.arm}`).join(', ')}`
        : result.duplicates.length
          ? `feedback for puid ${result.puid} was already applied; not counted again`
          : 'no router to update';
      return c.json({
        meta: { ...(result.puid ? { puid: result.puid } : {}), tags: { applied: result.applied.length, duplicate: result.duplicates.length > 0 } },
        status: { code: 200, info, reason: '', status: 'SUCCESS' },
      });
    } catch (error) {
      const { status, body } = seldonErrorResponse(error);
      metrics.request('feedback', status, (performance.now() - started) / 1000);
      return c.json(body, status as 400);
    }
  };
  const metadata = (c: Context) =>
    c.json({
      name: plan.graph,
      root: plan.root,
      nodes: Object.values(plan.nodes).map((n) => ({ name: n.name, type: n.type, function: n.function, children: n.children, implementation: n.implementation.kind })),
      edges: plan.edges,
    });
  const routers = async (c: Context) => c.json({ graph: plan.graph, routers: describeRouters(await orchestrator.routers()) });

  for (const prefix of ['', '/seldon/:namespace/:graph']) {
    app.post(`${prefix}/api/v1.0/predictions`, predictions);
    app.post(`${prefix}/api/v1.0/feedback`, feedback);
    app.get(`${prefix}/api/v1.0/metadata`, metadata);
    app.get(`${prefix}/api/v1.0/routers`, routers);
  }

  const infer = async (c: Context) => {
    const started = performance.now();
    try {
      checkModel(c.req.param('name') ?? '', plan.graph);
      const request = parseInferenceRequest(await readJson(c));
      const { message, input } = inferenceRequestToSeldon(request);
      const { response } = await orchestrator.predict(message, headersOf(c));
      metrics.request('v2', 200, (performance.now() - started) / 1000);
      return c.json(seldonToInferenceResponse(response, { modelName: plan.graph, ...(request.id === undefined ? {} : { id: request.id }), input, ...(request.outputs ? { outputs: request.outputs } : {}) }));
    } catch (error) {
      const { status, body } = v2ErrorResponse(error);
      metrics.request('v2', status, (performance.now() - started) / 1000);
      return c.json(body, status as 400);
    }
  };
  app.post('/v2/models/:name/infer', infer);
  app.post('/v2/models/:name/versions/:version/infer', infer);
  const modelMetadata = (c: Context) => {
    try {
      checkModel(c.req.param('name') ?? '', plan.graph);
      return c.json({ name: plan.graph, versions: ['1'], platform: 'switchyard', inputs: [], outputs: [] });
    } catch (error) {
      const { status, body } = v2ErrorResponse(error);
      return c.json(body, status as 404);
    }
  };
  app.get('/v2/models/:name', modelMetadata);
  app.get('/v2/models/:name/versions/:version', modelMetadata);
  const modelReady = (c: Context) => {
    try {
      checkModel(c.req.param('name') ?? '', plan.graph);
      return c.json({ name: plan.graph, ready: isReady && !draining }, isReady && !draining ? 200 : 503);
    } catch (error) {
      const { status, body } = v2ErrorResponse(error);
      return c.json(body, status as 404);
    }
  };
  app.get('/v2/models/:name/ready', modelReady);
  app.get('/v2/models/:name/versions/:version/ready', modelReady);
  app.get('/v2', (c) => c.json({ name: 'switchyard', version, extensions: [] }));
  app.get('/v2/health/live', (c) => c.json({ live: true }));
  app.get('/v2/health/ready', (c) => c.json({ ready: isReady && !draining }, isReady && !draining ? 200 : 503));
  app.get('/health/ping', (c) => c.text('pong'));
  app.get('/health/status', (c) => (isReady && !draining ? c.json({ status: 'ok' }) : c.json({ status: 'not ready' }, 503)));
  app.get('/metrics', async (c) => c.body(await metrics.registry.metrics(), 200, { 'content-type': metrics.registry.contentType }));
  app.notFound((c) => {
    const message = `no route for ${c.req.method} ${c.req.path}: graph "${plan.graph}" serves POST /api/v1.0/predictions, POST /api/v1.0/feedback and POST /v2/models/${plan.graph}/infer`;
    const error = new ProtocolError(message, { status: 404, reason: REASONS.notFound });
    return c.req.path.startsWith('/v2') ? c.json(v2ErrorResponse(error).body, 404) : c.json(seldonErrorResponse(error).body, 404);
  });

  return {
    app,
    ready,
    async drain(timeoutMs) {
      draining = true;
      const deadline = Date.now() + timeoutMs;
      while (inflight > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    },
  };
}

async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '') throw new ProtocolError('the request body is empty: send a JSON document', { status: 400, reason: REASONS.invalidJson });
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ProtocolError(`the request body is not valid JSON: ${(error as Error).message}`, { status: 400, reason: REASONS.invalidJson });
  }
}

function checkModel(name: string, graph: string): void {
  if (name !== graph) {
    throw new ProtocolError(`model "${name}" is not served here: this graph is served as model "${graph}"`, { status: 404, reason: REASONS.notFound, field: 'model_name' });
  }
}
