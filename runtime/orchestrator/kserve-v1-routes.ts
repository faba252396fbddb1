/**
 * @module KServe's V1 protocol on the orchestrator's app, so that a KServe client keeps its code: the graph is
 * served as one model named after it.
 *
 * - `GET /v1/models` → `{"models": ["<graph>"]}`
 * - `GET /v1/models/<graph>` → `{"name": "<graph>", "ready": true}` (503 with `ready: false` while the
 *   orchestrator starts or drains)
 * - `POST /v1/models/<graph>:predict` → `{"predictions": [...]}`, converted by protocol/kserve-v1-seldon.ts
 *
 * Errors are `{"error": "..."}` with the HTTP status, as KServe's model server answers them; a field the message
 * names is the V1 request's (`instances`, not the Seldon message's `data.ndarray`). KServe's `:explain` is not
 * served (501).
 */
import type { Context, Hono } from 'hono';
import { ProtocolError, REASONS, v2ErrorResponse } from '../protocol/errors.ts';
import { predictRequestToSeldon, seldonToPredictResponse } from '../protocol/kserve-v1-seldon.ts';
import { parseSeldonMessage } from '../protocol/seldon-schema.ts';
import type { SeldonMessage } from '../protocol/seldon-types.ts';
import { recordSpanError } from '../tracing/index.ts';
import type { OrchestratorMetrics } from './metrics.ts';
import type { Orchestrator } from './orchestrator.ts';
import { readJsonBody } from './request-body.ts';
import { checkModelName } from './model-name.ts';

export interface KserveV1RouteDeps {
  orchestrator: Orchestrator;
  metrics: OrchestratorMetrics;
  bodyLimitBytes: number;
  /** The headers a graph request passes on (trace context, authorization). */
  headersOf(c: Context): Record<string, string>;
  /** Whether the orchestrator takes requests (started, not draining). */
  ready(): boolean;
  /** Gives a request that the payload log will record its puid now. */
  withPuid(message: SeldonMessage): SeldonMessage;
}

export function addKserveV1Routes(app: Hono, { orchestrator, metrics, bodyLimitBytes, headersOf, ready, withPuid }: KserveV1RouteDeps): void {
  const { plan } = orchestrator;
  const payloadLog = orchestrator.payloadLog;
  const fail = (c: Context, error: unknown) => {
    const { status, body } = v2ErrorResponse(error);
    return c.json(body, status as 400);
  };

  app.get('/v1/models', (c) => c.json({ models: [plan.graph] }));
  app.get('/v1/models/:name', (c) => {
    try {
      if (c.req.param('name').endsWith(':predict')) {
        c.header('Allow', 'POST');
        throw new ProtocolError(`${c.req.path} takes POST, with {"instances": [...]}`, { status: 405, reason: REASONS.methodNotAllowed });
      }
      checkModelName(c.req.param('name'), plan.graph, `POST /v1/models/${plan.graph}:predict`);
      return c.json({ name: plan.graph, ready: ready() }, ready() ? 200 : 503);
    } catch (error) {
      return fail(c, error);
    }
  });
  app.post('/v1/models/:target', async (c) => {
    const started = performance.now();
    try {
      const target = c.req.param('target');
      const verb = target.lastIndexOf(':');
      const [name, action] = verb < 0 ? [target, ''] : [target.slice(0, verb), target.slice(verb + 1)];
      checkModelName(name, plan.graph, `POST /v1/models/${plan.graph}:predict`);
      if (action === 'explain') throw new ProtocolError(`KServe's :explain is not served: graph "${plan.graph}" answers POST /v1/models/${plan.graph}:predict`, { status: 501, reason: REASONS.notFound });
      if (action !== 'predict') throw new ProtocolError(`no route for POST ${c.req.path}: graph "${plan.graph}" answers POST /v1/models/${plan.graph}:predict`, { status: 404, reason: REASONS.notFound });
      const body = await readJsonBody(c.req.raw, bodyLimitBytes, `POST /v1/models/${plan.graph}:predict`);
      const request = withPuid(asInstances(() => parseSeldonMessage(predictRequestToSeldon(body))));
      payloadLog?.graph('request', 'kserve-v1', c.req.path, request.meta?.puid, body);
      const { response } = await orchestrator.predict(request, headersOf(c));
      const answer = seldonToPredictResponse(response);
      payloadLog?.graph('response', 'kserve-v1', c.req.path, response.meta?.puid, answer);
      metrics.request('kserve-v1', 200, (performance.now() - started) / 1000);
      return c.json(answer);
    } catch (error) {
      recordSpanError(error);
      const { status, body } = v2ErrorResponse(error);
      metrics.request('kserve-v1', status, (performance.now() - started) / 1000);
      return c.json(body, status as 400);
    }
  });
}

/** Runs `convert`, naming the V1 request's fields in what it throws (`instances[0][1]`, not `data.ndarray[0][1]`). */
function asInstances<T>(convert: () => T): T {
  try {
    return convert();
  } catch (error) {
    if (!(error instanceof ProtocolError)) throw error;
    const rename = (text: string) => text.replaceAll('data.ndarray', 'instances').replaceAll('jsonData.', '').replaceAll('meta.tags.', '');
    throw new ProtocolError(rename(error.message), { status: error.status, reason: error.reason, ...(error.field === undefined ? {} : { field: rename(error.field) }), cause: error });
  }
}
