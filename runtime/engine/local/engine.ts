/**
 * @module `switchyard up`: runs a compiled graph on this machine.
 *
 * One gateway (an HTTP server on 127.0.0.1:PORT) in front of a pool of OS processes per function, scaled by
 * an autoscaler with Knative's semantics, from zero and back to zero. The orchestrator is a function like
 * the others; it reaches the other functions through the gateway (`/_fn/<function>`), so every node call is
 * held during cold starts, queued, balanced and measured in one place.
 */
import { serve } from '@hono/node-server';
import path from 'node:path';
import type { DeploymentPlan, StateStoreConfig } from '../../plan/types.ts';
import { ORCHESTRATOR_FUNCTION } from '../../plan/types.ts';
import { createFunctionPool, type FunctionPool } from './function-pool.ts';
import { createGateway } from './gateway.ts';
import { createGatewayMetrics } from './gateway-metrics.ts';
import { createLatencyTracker } from './latency.ts';
import { createScaling, type ScalingLoop } from './scaling.ts';
import type { EngineStatus } from './status.ts';
import type { Clock } from '../../time/index.ts';
import { realClock } from '../../time/index.ts';

/** A function's own log lines start with an ISO time; the engine's log already has one. */
const LEADING_TIMESTAMP = /^\d{4}-\d\d-\d\dT[\d:.]+Z\s+/;

export interface LocalEngineOptions {
  plan: DeploymentPlan;
  /** Where `switchyard compile` wrote the bundles. */
  buildDir: string;
  port: number;
  host?: string;
  /** The router state store, with any file path already absolute. */
  state: StateStoreConfig;
  log: (message: string) => void;
  /** Receives each replica's output lines. */
  output?: (fn: string, replica: number, line: string) => void;
  bodyLimitBytes?: number;
  maxQueue?: number;
  queueTimeoutMs?: number;
  requestTimeoutMs?: number;
  startTimeoutMs?: number;
  drainTimeoutMs?: number;
  tickMs?: number;
  clock?: Clock;
  /** Extra environment for every function process. */
  env?: Record<string, string>;
}

export interface LocalEngine {
  url: string;
  port: number;
  pools: Map<string, FunctionPool>;
  status(): EngineStatus;
  stop(): Promise<void>;
}

export async function startLocalEngine(options: LocalEngineOptions): Promise<LocalEngine> {
  const clock = options.clock ?? realClock;
  const host = options.host ?? '127.0.0.1';
  const pools = new Map<string, FunctionPool>();
  const latency = createLatencyTracker();
  const startedAt = clock.now();
  let url = '';
  let scaling: ScalingLoop | undefined;

  const status = (): EngineStatus => ({
    graph: options.plan.graph,
    url,
    uptimeSeconds: Math.round((clock.now() - startedAt) / 1000),
    functions: [...pools.values()].map((pool) => ({
      ...pool.stats(),
      panicking: scaling?.panicking(pool.name) ?? false,
      p50Ms: latency.quantile(pool.name, 0.5),
      p99Ms: latency.quantile(pool.name, 0.99),
    })),
  });
  const metrics = createGatewayMetrics(() => [...pools.values()], { panicking: (fn) => scaling?.panicking(fn) ?? false });
  const requestStarts = new Map<string, number[]>();
  const app = createGateway({
    graph: options.plan.graph,
    pools,
    orchestrator: ORCHESTRATOR_FUNCTION,
    metrics,
    status,
    bodyLimitBytes: options.bodyLimitBytes ?? 10 * 1024 * 1024,
    queueTimeoutMs: options.queueTimeoutMs ?? 30_000,
    requestTimeoutMs: options.requestTimeoutMs ?? 60_000,
    now: () => clock.now(),
    onRequestStart: (fn) => {
      scaling?.requestStarted(fn);
      let starts = requestStarts.get(fn);
      if (!starts) requestStarts.set(fn, (starts = []));
      starts.push(clock.now());
    },
    onRequestEnd: (fn) => {
      scaling?.requestFinished(fn);
      const started = requestStarts.get(fn)?.shift();
      if (started !== undefined) latency.record(fn, clock.now() - started);
    },
  });

  const server = serve({ fetch: app.fetch, port: options.port, hostname: host });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('listening', () => resolve((server.address() as { port: number }).port));
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`port ${options.port} on ${host} is already in use: stop what uses it or pass --port with another number`)
          : error,
      ),
    );
  });
  url = `http://${host}:${port}`;

  const endpoints = Object.fromEntries(Object.keys(options.plan.functions).map((fn) => [fn, `${url}/_fn/${fn}`]));
  for (const fn of Object.values(options.plan.functions)) {
    const env: Record<string, string> = {
      ...options.env,
      SWITCHYARD_FUNCTION: fn.name,
      SWITCHYARD_GRAPH: options.plan.graph,
    };
    if (fn.name === ORCHESTRATOR_FUNCTION) {
      env.SWITCHYARD_ENDPOINTS = JSON.stringify(endpoints);
      env.SWITCHYARD_STATE = JSON.stringify(options.state);
    }
    const bundle = path.join(options.buildDir, fn.bundle);
    pools.set(
      fn.name,
      createFunctionPool({
        name: fn.name,
        bundle,
        cwd: path.dirname(bundle),
        env,
        scaling: fn.scaling,
        maxQueue: options.maxQueue ?? 1000,
        startTimeoutMs: options.startTimeoutMs ?? 30_000,
        drainTimeoutMs: options.drainTimeoutMs ?? 10_000,
        now: () => clock.now(),
        log: options.log,
        output: options.output ?? ((fnName, replica, line) => options.log(`${fnName}#${replica} | ${line.replace(LEADING_TIMESTAMP, '')}`)),
        onActivate: (pool) => scaling?.activated(pool.name),
      }),
    );
  }
  scaling = createScaling({ pools, clock, tickMs: options.tickMs ?? 2000, log: options.log });
  scaling.start();

  return {
    url,
    port,
    pools,
    status,
    async stop() {
      scaling?.stop();
      await Promise.all([...pools.values()].map((pool) => pool.stop()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
