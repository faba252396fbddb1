/**
 * @module The orchestrator's HTTP app: Seldon's external API, the Open Inference Protocol and KServe's V1 protocol
 * (./kserve-v1-routes.ts) for a graph.
 *
 * Seldon: POST /api/v1.0/predictions, POST /api/v1.0/feedback, GET /api/v1.0/metadata (also under
 * /seldon/<namespace>/<graph>/); Switchyard: GET /api/v1.0/routers (each router's learned state), GET
 * /api/v1.0/shadows (each shadow's walks and agreement with its node).
 * Open Inference Protocol: POST /v2/models/<graph>/infer (and /versions/<v>/infer), model and server
 * metadata, readiness. Health: /health/ping, /health/status, /v2/health/live, /v2/health/ready. /metrics.
 */
import { Hono, type Context } from 'hono';
import { parseSeldonFeedback, parseSeldonMessage } from '../protocol/seldon-schema.ts';
import { errorFieldPath, ProtocolError, REASONS, seldonErrorResponse, v2ErrorResponse } from '../protocol/errors.ts';
import { parseInferenceRequest } from '../protocol/v2-request.ts';
import { inferenceRequestToSeldon, seldonToInferenceResponse } from '../protocol/v2-seldon.ts';
import { isDatatype } from '../protocol/v2-datatypes.ts';
import { DEFAULT_BODY_LIMIT_BYTES } from '../host/_body.ts';
import { inferenceHttpResponse, readInferenceBody } from '../host/v2-io.ts';
import { readJsonBody, readPredictionBody } from './request-body.ts';
import type { GraphMetadata } from './graph-metadata.ts';
import type { Orchestrator } from './orchestrator.ts';
import type { OrchestratorMetrics } from './metrics.ts';
import { describeRouters } from './routers-view.ts';
import { feedbackReply } from './feedback.ts';
import { ATTR_GRAPH, ATTR_PROTOCOL, recordSpanError, serverSpanMiddleware } from '../tracing/index.ts';
import { methodNotAllowed } from '../http/allowed-methods.ts';
import { newPuid } from './puid.ts';
import { addKserveV1Routes } from './kserve-v1-routes.ts';
import { checkModelName } from './model-name.ts';
import type { SeldonMessage } from '../protocol/seldon-types.ts';

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
  bodyLimitBytes = DEFAULT_BODY_LIMIT_BYTES,
}: {
  orchestrator: Orchestrator;
  metrics: OrchestratorMetrics;
  ready?: Promise<void>;
  version?: string;
  /** Largest request body accepted (413 beyond); default 10 MiB. */
  bodyLimitBytes?: number;
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
  // A server span per POST (predictions, feedback, inference), continuing the client's trace context.
  app.use('*', serverSpanMiddleware({ attributes: (c) => ({ [ATTR_GRAPH]: plan.graph, [ATTR_PROTOCOL]: protocolOf(c.req.path) }) }));

  const headersOf = (c: Context): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const name of ['traceparent', 'tracestate', 'authorization']) {
      const value = c.req.header(name);
      if (value) out[name] = value;
    }
    return out;
  };

  // The graph's payload log (spec.logger): each request as it came, each answer as it went, each feedback.
  const payloadLog = orchestrator.payloadLog;
  /** A logged request needs its puid now, so that its event and its response's share it. */
  const withPuid = (message: SeldonMessage): SeldonMessage => {
    if (payloadLog?.graphWants('request') && !message.meta?.puid) message.meta = { ...message.meta, puid: newPuid() };
    return message;
  };

  const predictions = async (c: Context) => {
    const started = performance.now();
    try {
      const request = withPuid(parseSeldonMessage(await readPredictionBody(c.req.raw, bodyLimitBytes, 'POST /api/v1.0/predictions')));
      payloadLog?.graph('request', 'seldon', c.req.path, request.meta?.puid, request);
      const { response } = await orchestrator.predict(request, headersOf(c));
      payloadLog?.graph('response', 'seldon', c.req.path, response.meta?.puid, response);
      metrics.request('seldon', 200, (performance.now() - started) / 1000);
      return c.json(response);
    } catch (error) {
      recordSpanError(error);
      const { status, body } = seldonErrorResponse(error);
      metrics.request('seldon', status, (performance.now() - started) / 1000);
      return c.json(body, status as 400);
    }
  };
  const feedback = async (c: Context) => {
    const started = performance.now();
    try {
      const body = parseSeldonFeedback(await readJsonBody(c.req.raw, bodyLimitBytes, 'POST /api/v1.0/feedback'));
      payloadLog?.graph('feedback', 'seldon', c.req.path, body.response?.meta?.puid ?? body.request?.meta?.puid, body);
      const result = await orchestrator.feedback(body, headersOf(c));
      const reply = feedbackReply(result);
      metrics.request('feedback', reply.status, (performance.now() - started) / 1000);
      return c.json(reply.body, reply.status);
    } catch (error) {
      recordSpanError(error);
      const { status, body } = seldonErrorResponse(error);
      metrics.request('feedback', status, (performance.now() - started) / 1000);
      return c.json(body, status as 400);
    }
  };
  const metadata = (c: Context) =>
    c.json({
      name: plan.graph,
      root: plan.root,
      nodes: Object.values(plan.nodes).map((n) => ({ name: n.name, type: n.type, function: n.function, children: n.children, ...(n.shadows ? { shadows: n.shadows } : {}), implementation: n.implementation.kind })),
      edges: plan.edges,
    });
  // Seldon's model metadata endpoint: one node's own metadata, asked of its function (or server) when asked for.
  const nodeMetadata = async (c: Context) => {
    const name = c.req.param('node') ?? '';
    try {
      const node = plan.nodes[name];
      if (node === undefined) {
        throw new ProtocolError(`no node "${name}" in graph "${plan.graph}"; its nodes are ${Object.keys(plan.nodes).join(', ')}`, { status: 404, reason: REASONS.notFound, field: 'node' });
      }
      const own = orchestrator.nodeMetadata ? await orchestrator.nodeMetadata(name, headersOf(c)) : undefined;
      return c.json({
        name,
        versions: own?.versions ?? [],
        platform: own?.platform ?? (node.implementation.kind === 'router' || node.implementation.kind === 'combiner' ? `switchyard-${node.implementation.kind}` : ''),
        inputs: own?.inputs ?? [],
        outputs: own?.outputs ?? [],
        ...(own?.custom === undefined ? {} : { custom: own.custom }),
      });
    } catch (error) {
      const { status, body } = seldonErrorResponse(error);
      return c.json(body, status as 404);
    }
  };
  const routers = async (c: Context) =>
    c.json({ graph: plan.graph, routers: describeRouters(await orchestrator.routers()), state: orchestrator.state() });
  const shadows = (c: Context) => c.json({ graph: plan.graph, since: 'this replica started', shadows: orchestrator.shadows?.() ?? [] });

  // Seldon's Ambassador prefix: /seldon/<namespace>/<graph>/api/v1.0/… must name this graph.
  app.use('/seldon/*', async (c, next) => {
    const [, , namespace, graph] = c.req.path.split('/');
    if (namespace === plan.namespace && graph === plan.graph) return next();
    const error = new ProtocolError(
      `no graph at /seldon/${namespace ?? ''}/${graph ?? ''}: this is graph "${plan.graph}" in namespace "${plan.namespace}", served under /seldon/${plan.namespace}/${plan.graph}/api/v1.0/`,
      { status: 404, reason: REASONS.notFound },
    );
    return c.json(seldonErrorResponse(error).body, 404);
  });
  for (const prefix of ['', '/seldon/:namespace/:graph']) {
    app.post(`${prefix}/api/v1.0/predictions`, predictions);
    app.post(`${prefix}/api/v1.0/feedback`, feedback);
    app.get(`${prefix}/api/v1.0/metadata`, metadata);
    app.get(`${prefix}/api/v1.0/metadata/:node`, nodeMetadata);
    app.get(`${prefix}/api/v1.0/routers`, routers);
    app.get(`${prefix}/api/v1.0/shadows`, shadows);
  }

  const infer = async (c: Context) => {
    const started = performance.now();
    try {
      checkModelName(c.req.param('name') ?? '', plan.graph);
      const version = checkVersion(c.req.param('version'), plan.graph);
      const request = parseInferenceRequest(await readInferenceBody(c.req.raw, bodyLimitBytes, 'POST /v2/models/{name}/infer'));
      const { message, input } = inferenceRequestToSeldon(request);
      withPuid(message);
      payloadLog?.graph('request', 'v2', c.req.path, message.meta?.puid, request);
      // The graph's declared output (name, datatype) shapes the answer; without it (unreadable) the defaults apply.
      const [{ response }, declared] = await Promise.all([
        orchestrator.predict(message, headersOf(c)),
        orchestrator.metadata?.(headersOf(c)).then((m) => m.outputs[0], () => undefined),
      ]);
      const answer = seldonToInferenceResponse(response, {
        modelName: plan.graph,
        modelVersion: version,
        id: request.id,
        input,
        outputs: request.outputs,
        datatype: declared !== undefined && isDatatype(declared.datatype) && declared.datatype !== 'BYTES' ? declared.datatype : undefined,
        outputName: declared?.name,
        knownOutputs: declared === undefined ? undefined : [declared.name],
      });
      payloadLog?.graph('response', 'v2', c.req.path, response.meta?.puid, answer);
      metrics.request('v2', 200, (performance.now() - started) / 1000);
      return inferenceHttpResponse(answer, request);
    } catch (error) {
      recordSpanError(error);
      const { status, body } = v2ErrorResponse(error);
      metrics.request('v2', status, (performance.now() - started) / 1000);
      return c.json(body, status as 400);
    }
  };
  app.post('/v2/models/:name/infer', infer);
  app.post('/v2/models/:name/versions/:version/infer', infer);
  const modelMetadata = async (c: Context) => {
    try {
      checkModelName(c.req.param('name') ?? '', plan.graph);
      checkVersion(c.req.param('version'), plan.graph);
      const graph: GraphMetadata = orchestrator.metadata ? await orchestrator.metadata(headersOf(c)) : { inputs: [], outputs: [] };
      return c.json({ name: plan.graph, versions: GRAPH_VERSIONS, platform: GRAPH_PLATFORM, inputs: graph.inputs, outputs: graph.outputs });
    } catch (error) {
      const { status, body } = v2ErrorResponse(error);
      return c.json(body, status as 404);
    }
  };
  app.get('/v2/models/:name', modelMetadata);
  app.get('/v2/models/:name/versions/:version', modelMetadata);
  const modelReady = (c: Context) => {
    try {
      checkModelName(c.req.param('name') ?? '', plan.graph);
      checkVersion(c.req.param('version'), plan.graph);
      return c.json({ name: plan.graph, ready: isReady && !draining }, isReady && !draining ? 200 : 503);
    } catch (error) {
      const { status, body } = v2ErrorResponse(error);
      return c.json(body, status as 404);
    }
  };
  app.get('/v2/models/:name/ready', modelReady);
  app.get('/v2/models/:name/versions/:version/ready', modelReady);
  addKserveV1Routes(app, { orchestrator, metrics, bodyLimitBytes, headersOf, withPuid, ready: () => isReady && !draining });
  app.get('/v2', (c) => c.json({ name: 'switchyard', version, extensions: ['binary_tensor_data'] }));
  app.get('/v2/health/live', (c) => c.json({ live: true }));
  app.get('/v2/health/ready', (c) => c.json({ ready: isReady && !draining }, isReady && !draining ? 200 : 503));
  app.get('/health/ping', (c) => c.text('pong'));
  app.get('/health/status', (c) => (isReady && !draining ? c.json({ status: 'ok' }) : c.json({ status: 'not ready' }, 503)));
  app.get('/metrics', async (c) => c.body(await metrics.registry.metrics(), 200, { 'content-type': metrics.registry.contentType }));
  app.notFound((c) => {
    const wrongMethod = methodNotAllowed(app, c.req.method, c.req.path);
    const error =
      wrongMethod !== undefined
        ? new ProtocolError(wrongMethod.message, { status: 405, reason: REASONS.methodNotAllowed })
        : new ProtocolError(
            `no route for ${c.req.method} ${c.req.path}: graph "${plan.graph}" serves POST /api/v1.0/predictions, POST /api/v1.0/feedback, POST /v2/models/${plan.graph}/infer and POST /v1/models/${plan.graph}:predict`,
            { status: 404, reason: REASONS.notFound },
          );
    if (wrongMethod !== undefined) c.header('Allow', wrongMethod.allow);
    const body = errorFieldPath(c.req.path) ? v2ErrorResponse(error).body : seldonErrorResponse(error).body;
    return c.json(body, error.status as 404 | 405);
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

/** Which API a traced request used: `v2`, `kserve-v1`, `feedback` or `seldon`. */
function protocolOf(path: string): string {
  if (path.startsWith('/v2/')) return 'v2';
  if (path.startsWith('/v1/models')) return 'kserve-v1';
  return path.endsWith('/feedback') ? 'feedback' : 'seldon';
}

/** A graph has one version, "1": the plan it was compiled into. */
const GRAPH_VERSIONS = ['1'];
const GRAPH_PLATFORM = 'switchyard';

/** The path's version, when given, must be one the graph has. */
function checkVersion(version: string | undefined, graph: string): string | undefined {
  if (version === undefined || GRAPH_VERSIONS.includes(version)) return version;
  throw new ProtocolError(`model "${graph}" has no version "${version}"; available: ${GRAPH_VERSIONS.join(', ')}`, {
    status: 404,
    reason: REASONS.notFound,
    field: 'model_version',
  });
}

