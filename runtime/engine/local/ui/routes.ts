/**
 * @module The local engine's web page (/ui) and the reads it needs besides status and traces.
 *
 * - `GET /ui`: one HTML page, a script and a style sheet from this folder (no build step, nothing from the
 *   network: the page's Content-Security-Policy allows only this engine).
 * - `GET /_switchyard/graph`: the graph's nodes, edges and functions, from the plan the engine runs.
 * - `GET /_switchyard/routers`: the orchestrator's `GET /api/v1.0/routers`, asked of a ready replica without
 *   counting as traffic (a page left open must not keep the graph from scaling to zero); 503 while the
 *   orchestrator is at zero replicas.
 * - `GET /_switchyard/shadows`: the orchestrator's `GET /api/v1.0/shadows` (each shadow's walks and how its answers
 *   agree with its node's), asked the same way.
 */
import { readFileSync } from 'node:fs';
import type { Context, Hono } from 'hono';
import type { DeploymentPlan } from '../../../plan/types.ts';
import type { FunctionPool } from '../function-pool.ts';
import { forward } from '../proxy.ts';

export interface UiRoutesOptions {
  plan: DeploymentPlan;
  pools: Map<string, FunctionPool>;
  orchestrator: string;
  now: () => number;
}

export interface GraphView {
  graph: string;
  root: string;
  nodes: Array<{
    name: string;
    type: string;
    function: string;
    implementation: string;
    router?: string;
    combiner?: string;
    remote?: string;
    /** A remote node's protocol (`seldon`, `v2`, `grpc-v2`, …). */
    protocol?: string;
    /** An ONNX node's batcher: the most rows in one run. */
    batch?: number;
    children: string[];
    shadows?: string[];
  }>;
  edges: Array<[string, string]>;
  /** [node, shadow] pairs: the shadow gets a copy of the node's input (drawn dashed). */
  shadows: Array<[string, string]>;
  functions: Array<{ name: string; kind: string; nodes: string[] }>;
}

const ASSETS = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'style.css': 'text/css; charset=utf-8',
} as const;

const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'",
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-cache',
};

export function registerUiRoutes(app: Hono, options: UiRoutesOptions): void {
  const files = Object.fromEntries(
    Object.keys(ASSETS).map((name) => [name, readFileSync(new URL(`./${name}`, import.meta.url), 'utf8')]),
  ) as Record<keyof typeof ASSETS, string>;
  const asset = (name: keyof typeof ASSETS) => () =>
    new Response(files[name], { headers: { 'content-type': ASSETS[name], ...SECURITY_HEADERS } });

  app.get('/ui', asset('index.html'));
  app.get('/ui/', asset('index.html'));
  app.get('/ui/app.js', asset('app.js'));
  app.get('/ui/style.css', asset('style.css'));

  const graph = graphView(options.plan);
  app.get('/_switchyard/graph', (c) => c.json(graph));

  // What the orchestrator knows, asked without counting as traffic: a page left open must not wake the graph or
  // keep it from scaling to zero.
  const fromOrchestrator = (route: string, what: string) => async (c: Context) => {
    const pool = options.pools.get(options.orchestrator);
    if (pool === undefined || pool.stats().ready === 0) {
      return c.json({ error: `${what} shows once the orchestrator runs (it is at zero replicas: send a request to wake the graph)` }, 503);
    }
    try {
      const answer = await forward(pool, { method: 'GET', path: route, headers: {} }, {
        queueTimeoutMs: 2000,
        requestTimeoutMs: 5000,
        retry: false,
        now: options.now,
      });
      return new Response(answer.body, { status: answer.status, headers: answer.headers });
    } catch (error) {
      return c.json({ error: `the orchestrator did not report ${what}: ${(error as Error).message}` }, 503);
    }
  };
  app.get('/_switchyard/routers', fromOrchestrator('/api/v1.0/routers', 'what the routers learned'));
  app.get('/_switchyard/shadows', fromOrchestrator('/api/v1.0/shadows', 'how the shadows compare'));
}

export function graphView(plan: DeploymentPlan): GraphView {
  return {
    graph: plan.graph,
    root: plan.root,
    nodes: Object.values(plan.nodes).map((node) => ({
      name: node.name,
      type: node.type,
      function: node.function,
      implementation: node.implementation.kind,
      ...(node.implementation.kind === 'router' ? { router: node.implementation.router } : {}),
      ...(node.implementation.kind === 'combiner' ? { combiner: node.implementation.combiner } : {}),
      ...(node.implementation.kind === 'remote' ? { remote: node.implementation.url, protocol: node.implementation.protocol } : {}),
      ...(node.implementation.kind === 'onnx' && node.implementation.batcher ? { batch: node.implementation.batcher.maxBatchSize } : {}),
      children: node.children,
      ...(node.shadows === undefined ? {} : { shadows: node.shadows }),
    })),
    edges: plan.edges,
    shadows: Object.values(plan.nodes).flatMap((node) => (node.shadows ?? []).map((shadow): [string, string] => [node.name, shadow])),
    functions: Object.values(plan.functions).map((fn) => ({ name: fn.name, kind: fn.kind, nodes: fn.nodes })),
  };
}
