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
import { activationOrder, createGraphActivator } from './activation.ts';
import os from 'node:os';
import type { EngineStatus } from './status.ts';
import type { Clock } from '../../time/index.ts';
import { realClock } from '../../time/index.ts';
import { createTraceStore, DEFAULT_MAX_TRACES, type TraceStore } from './traces/store.ts';
import { registerTraceRoutes } from './traces/routes.ts';
import { registerUiRoutes } from './ui/routes.ts';
import { startGrpcServer, type GrpcServerHandle } from '../../grpc/server.ts';

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
  /** Wake every function when a request finds the graph cold (default true); false: cascading cold starts. */
  graphActivation?: boolean;
  /** Most replicas graph-aware activation starts at once (default: the machine's CPU cores). */
  activationParallelism?: number;
  clock?: Clock;
  /** Extra environment for every function process. */
  env?: Record<string, string>;
  /** How many recent traces the engine keeps (its functions export their spans to it). Default 200. */
  traces?: number;
  /** Require `Authorization: Bearer <authToken>` at the gateway (health, metrics and status stay open). */
  authToken?: string;
  /** Also serve `inference.GRPCInferenceService` on this port (0: any free port); undefined: no gRPC. */
  grpcPort?: number;
}

export interface LocalEngine {
  url: string;
  port: number;
  pools: Map<string, FunctionPool>;
  /** The spans the functions exported, by trace (GET /_switchyard/traces). */
  traces: TraceStore;
  /** The gRPC server's `host:port`, when `grpcPort` was given. */
  grpcAddress?: string;
  grpcPort?: number;
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
    graphActivation: options.graphActivation !== false,
    functions: [...pools.values()].map((pool) => ({
      ...pool.stats(),
      scaling: pool.scaling,
      panicking: scaling?.panicking(pool.name) ?? false,
      p50Ms: latency.quantile(pool.name, 0.5),
      p99Ms: latency.quantile(pool.name, 0.99),
    })),
  });
  const activator = createGraphActivator({
    pools,
    order: activationOrder(options.plan, ORCHESTRATOR_FUNCTION),
    maxParallel: options.activationParallelism ?? os.availableParallelism(),
    clock,
  });
  const metrics = createGatewayMetrics(() => [...pools.values()], { panicking: (fn) => scaling?.panicking(fn) ?? false });
  const traces = createTraceStore({ maxTraces: options.traces ?? DEFAULT_MAX_TRACES });
  const app = createGateway({
    extraRoutes: (gateway) => {
      registerTraceRoutes(gateway, { store: traces, bodyLimitBytes: 16 * 1024 * 1024 });
      registerUiRoutes(gateway, { plan: options.plan, pools, orchestrator: ORCHESTRATOR_FUNCTION, now: () => clock.now() });
    },
    graph: options.plan.graph,
    pools,
    orchestrator: ORCHESTRATOR_FUNCTION,
    metrics,
    status,
    bodyLimitBytes: options.bodyLimitBytes ?? 10 * 1024 * 1024,
    ...(options.authToken === undefined ? {} : { authToken: options.authToken }),
    queueTimeoutMs: options.queueTimeoutMs ?? 30_000,
    requestTimeoutMs: options.requestTimeoutMs ?? 60_000,
    now: () => clock.now(),
    graphActivation: options.graphActivation !== false,
    activateGraph: () => activator.activate(),
    onRequestStart: (fn) => scaling?.requestStarted(fn),
    onRequestEnd: (fn, ms) => {
      scaling?.requestFinished(fn);
      latency.record(fn, ms);
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
  // gRPC (Open Inference Protocol) on its own port, served through the same gateway app in-process.
  let grpc: GrpcServerHandle | undefined;
  if (options.grpcPort !== undefined) {
    try {
      grpc = await startGrpcServer({ port: options.grpcPort, host, fetch: (request) => app.fetch(request), maxMessageBytes: options.bodyLimitBytes ?? 10 * 1024 * 1024 });
    } catch (error) {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      throw error;
    }
  }

  const endpoints = Object.fromEntries(Object.keys(options.plan.functions).map((fn) => [fn, `${url}/_fn/${fn}`]));
  for (const fn of Object.values(options.plan.functions)) {
    const env: Record<string, string> = {
      ...options.env,
      SWITCHYARD_FUNCTION: fn.name,
      SWITCHYARD_GRAPH: options.plan.graph,
      // Spans come back to this engine's receiver (and, when OTEL_EXPORTER_OTLP_ENDPOINT is set, go there too).
      SWITCHYARD_TRACES_ENDPOINT: `${url}/v1/traces`,
      ...(options.bodyLimitBytes === undefined ? {} : { SWITCHYARD_MAX_BODY_BYTES: String(options.bodyLimitBytes) }),
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
    traces,
    ...(grpc === undefined ? {} : { grpcAddress: grpc.address, grpcPort: grpc.port }),
    status,
    async stop() {
      activator.stop();
      await grpc?.close();
      scaling?.stop();
      await Promise.all([...pools.values()].map((pool) => pool.stop()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
