/**
 * @module `switchyard up`: runs a compiled graph on this machine.
 *
 * One gateway (an HTTP server on 127.0.0.1:PORT) in front of a pool of OS processes per function, scaled by
 * an autoscaler with Knative's semantics, from zero and back to zero. The orchestrator is a function like
 * the others; it reaches the other functions through the gateway (`/_fn/<function>`), so every node call is
 * held during cold starts, queued, balanced and measured in one place.
 *
 * Between the engine's own processes (gateway → orchestrator, orchestrator → gateway → function) calls go over
 * the frame transport (runtime/frames) on Unix sockets in a private temporary folder: many calls in flight on
 * one connection and their frames written together, where HTTP/1.1 costs a write and a wake-up per message on
 * each side. `internalTransport: 'http'` keeps every hop on HTTP (the bench compares the two).
 */
import { getRequestListener } from '@hono/node-server';
import { createServer } from 'node:http';
import fs from 'node:fs';
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
import { serveFrames, type FrameServerHandle } from '../../frames/server.ts';
import { MAX_FRAME_BYTES } from '../../frames/codec.ts';
import { describeInventory, detectDevices, type DeviceInventory } from './devices.ts';
import { planDevices } from './device-placement.ts';

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
  /**
   * How the engine's processes call each other: `frames` (default) or `http`. Clients always use HTTP. A body
   * limit over 255 MiB (more than a frame carries) means `http`.
   */
  internalTransport?: InternalTransport;
  /** This machine's GPUs, for device placement (runtime/engine/local/device-placement.ts); default: detected. */
  devices?: DeviceInventory;
}

export type InternalTransport = 'frames' | 'http';

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
  // Devices first: a function that requires a GPU this machine lacks stops the engine before anything listens.
  const devices = options.devices ?? detectDevices();
  // A pvc:// model is on a claim only a Kubernetes pod mounts.
  const onClaims = Object.values(options.plan.nodes).flatMap((node) => (node.implementation.kind === 'onnx' && node.implementation.claim !== undefined ? [{ node: node.name, ...node.implementation.claim }] : []));
  if (onClaims.length > 0) {
    throw new Error(
      onClaims.map((m) => `node "${m.node}": its model is on the PersistentVolumeClaim "${m.name}" (pvc://${m.name}/${m.path}), which only a pod on Kubernetes can read`).join('\n') +
        '\nfor switchyard up, give onnx.path the model file (or its https, s3:// or gs:// URL); switchyard deploy runs the graph as it is',
    );
  }
  const placement = planDevices(Object.values(options.plan.functions), devices);
  if (placement.problems.length > 0) throw new Error(placement.problems.join('\n'));
  for (const note of placement.notes) options.log(note);
  if (placement.placements.size > 0) options.log(`devices: ${describeInventory(devices)} (${devices.source})`);
  const clock = options.clock ?? realClock;
  const host = options.host ?? '127.0.0.1';
  // --no-graph-activation, or the graph's `activation: cascade`: neither the gateway nor the orchestrator wakes the graph.
  const graphActivation = options.graphActivation !== false && options.plan.activation !== 'cascade';
  const pools = new Map<string, FunctionPool>();
  const latency = createLatencyTracker();
  const startedAt = clock.now();
  let url = '';
  let scaling: ScalingLoop | undefined;
  // The frame transport's sockets (set up once the gateway listens): the gateway's, and one per replica.
  let frames: { dir: string; gateway: FrameServerHandle } | undefined;

  const status = (): EngineStatus => ({
    graph: options.plan.graph,
    url,
    uptimeSeconds: Math.round((clock.now() - startedAt) / 1000),
    graphActivation,
    internalTransport: { kind: frames === undefined ? 'http' : 'frames', framedCalls: frames?.gateway.calls() ?? 0 },
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
  const gateway = createGateway({
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
    graphActivation,
    activateGraph: () => activator.activate(),
    onRequestStart: (fn) => scaling?.requestStarted(fn),
    onRequestEnd: (fn, ms) => {
      scaling?.requestFinished(fn);
      latency.record(fn, ms);
    },
  });
  const app = gateway.app;

  // The hot routes from node:http directly (gateway.serveFast); everything else through Hono.
  const honoListener = getRequestListener(app.fetch);
  const server = createServer((incoming, outgoing) => {
    if (!gateway.serveFast(incoming, outgoing)) void honoListener(incoming, outgoing);
  });
  server.listen(options.port, host);
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

  // The sockets live in a folder only this user can enter (mkdtemp: mode 0700). A socket path holds at most 107
  // bytes: under a temporary folder too deep for the longest replica socket name, the hops stay on HTTP.
  if ((options.internalTransport ?? 'frames') === 'frames' && (options.bodyLimitBytes ?? 0) < MAX_FRAME_BYTES - 1024 * 1024) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-'));
    if (dir.length + LONGEST_SOCKET_NAME < MAX_SOCKET_PATH) {
      frames = { dir, gateway: await serveFrames(path.join(dir, 'gateway.sock'), gateway.frameHandler) };
    } else {
      fs.rmSync(dir, { recursive: true, force: true });
      options.log(`internal calls over HTTP: the temporary folder ${os.tmpdir()} is too deep for Unix socket paths (at most ${MAX_SOCKET_PATH} bytes); set TMPDIR to a shorter folder for the faster frame transport`);
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
      if (!graphActivation) env.SWITCHYARD_GRAPH_ACTIVATION = 'cascade';
      // Calls to the gateway's origin go over its frame socket instead of HTTP.
      if (frames !== undefined) env.SWITCHYARD_FRAME_ROUTES = JSON.stringify({ [url]: frames.gateway.socketPath });
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
        ...(placement.placements.has(fn.name) ? { placement: placement.placements.get(fn.name)! } : {}),
        ...(frames === undefined ? {} : { frameSocket: frameSocketOf(frames.dir, fn.name, pools.size) }),
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
      if (frames !== undefined) {
        await frames.gateway.close();
        fs.rmSync(frames.dir, { recursive: true, force: true });
      }
    },
  };
}

/** The longest path a Unix socket may have (sun_path is 108 bytes with its terminating zero). */
const MAX_SOCKET_PATH = 107;
/** `/<index>-<name, at most 32>-<replica id>.sock`, with room for 4-digit indexes and 6-digit ids. */
const LONGEST_SOCKET_NAME = 1 + 4 + 1 + 32 + 1 + 6 + 5;

/**
 * Replica `id` of function `fn` (the plan's `index`th) serves frames at `<dir>/<index>-<fn>-<id>.sock`, the name
 * cut short and made safe (a socket path has at most 107 bytes; the index keeps them apart).
 */
function frameSocketOf(dir: string, fn: string, index: number): (id: number) => string {
  const tag = fn.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 32);
  return (id) => path.join(dir, `${index}-${tag}-${id}.sock`);
}
