/**
 * @module The engine adapter every function entry uses: environment in, HTTP server out, signals wired.
 *
 * Reads `PORT`, `HOST` and the tracing variables (OTEL_*, SWITCHYARD_TRACE_SAMPLING, SWITCHYARD_TRACES_ENDPOINT)
 * and starts OpenTelemetry; serves the app over HTTP and, when the local engine gives it a Unix socket
 * (`SWITCHYARD_FRAME_SOCKET`), over the engine's frame transport too (runtime/frames); tells a local-engine
 * parent (over IPC, when there is one) the port and socket it listens on and when it is ready; gives memory back
 * after each busy period (runtime/host/idle-compact.ts); on SIGTERM fails readiness, drains in-flight requests
 * (bounded) and exits.
 * This is the only layer that reads `process.env`.
 */
import { serve } from '../runtime/host/serve.ts';
import { serveFrames } from '../runtime/frames/server.ts';
import { frameHandler } from '../runtime/host/frame-app.ts';
import { compactWhenIdle, DEFAULT_IDLE_COMPACT_MS } from '../runtime/host/idle-compact.ts';
import { realClock } from '../runtime/time/clock.ts';
import type { Hono } from 'hono';
import { createLogger } from '../runtime/log.ts';
import { tracingSettings } from '../runtime/tracing/config.ts';
import { startTracing, type TracingHandle } from '../runtime/tracing/sdk.ts';

export interface AppHandle {
  app: Hono;
  ready: Promise<void>;
  drain(timeoutMs: number): Promise<void>;
}

const DRAIN_TIMEOUT_MS = 20_000;
const TRACING_SHUTDOWN_MS = 3000;

/** OpenTelemetry from the standard OTEL_* variables, SWITCHYARD_TRACE_SAMPLING and SWITCHYARD_TRACES_ENDPOINT. */
function startFunctionTracing(name: string, options: RunOptions): TracingHandle {
  const log = createLogger(name);
  const graph = options.graph ?? process.env.SWITCHYARD_GRAPH;
  const { settings, warnings } = tracingSettings({
    service: name,
    env: process.env,
    ...(graph ? { graph } : {}),
    ...(options.samplingRatio === undefined ? {} : { samplingRatio: options.samplingRatio }),
  });
  for (const warning of warnings) log.warn(`tracing: ${warning}`);
  return startTracing(settings, { log });
}

export interface RunOptions {
  /** The graph (service.namespace of the spans); default `SWITCHYARD_GRAPH`. */
  graph?: string;
  /** The plan's trace sampling ratio (the orchestrator's; functions follow the orchestrator's decision). */
  samplingRatio?: number;
}

export async function runFunction(name: string, handle: AppHandle, options: RunOptions = {}): Promise<void> {
  const port = Number(process.env.PORT ?? 8080);
  const hostname = process.env.HOST ?? '0.0.0.0';
  const tracing = startFunctionTracing(name, options);
  const server = await serve(handle, { port, hostname });
  const socketPath = process.env.SWITCHYARD_FRAME_SOCKET;
  // Work is what is not a GET: probes, metrics scrapes and the UI's polls neither count as traffic nor keep
  // the replica from compacting when idle.
  let work = 0;
  server.server.on('request', (request: { method?: string }) => {
    if (request.method !== 'GET') work++;
  });
  const frameApp = frameHandler(handle.app);
  const frames = socketPath
    ? await serveFrames(socketPath, (request) => {
        if (request.method !== 'GET') work++;
        return frameApp(request);
      })
    : undefined;
  const address = { port: server.port, ...(frames === undefined ? {} : { frames: frames.socketPath }) };
  const quietMs = idleCompactMs();
  const compactor = quietMs === 0 ? undefined : compactWhenIdle({ activity: () => work, idleMs: quietMs, clock: realClock });
  process.send?.({ type: 'listening', ...address });
  handle.ready.then(
    () => process.send?.({ type: 'ready', ...address }),
    (error: unknown) => void reportStartFailure(name, 'failed to initialise', error),
  );
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    compactor?.stop();
    await handle.drain(DRAIN_TIMEOUT_MS);
    await Promise.all([server.close(), frames?.close()]);
    await tracing.shutdown(TRACING_SHUTDOWN_MS);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  // A local-engine parent that goes away takes its replicas with it.
  process.on('disconnect', () => void stop());
}

/**
 * Runs a function's set-up. When it throws (bad router parameters, a bad environment variable), says why in one
 * line on stderr and to a local-engine parent (which answers the waiting requests with it), and exits with 1,
 * rather than let Node print the bundle's minified source around an uncaught exception.
 */
export async function setUpOrExit<T>(name: string, setUp: () => T): Promise<T> {
  try {
    return setUp();
  } catch (error) {
    await reportStartFailure(name, 'cannot start', error);
    process.exit(1);
  }
}

/** One line on stderr, and a `failed` message to a local-engine parent; resolves once that message is sent. */
function reportStartFailure(name: string, what: string, error: unknown): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${name}: ${what}: ${message}\n`);
  if (process.send === undefined) return Promise.resolve();
  return new Promise<void>((resolve) => {
    setTimeout(resolve, 1000).unref();
    process.send!({ type: 'failed', message }, () => resolve());
  });
}

/** Reads a JSON environment variable, with an error that says which one is wrong. */
export function jsonEnv<T>(name: string, fallback?: T): T {
  const raw = process.env[name];
  if (raw === undefined || raw === '') {
    if (fallback !== undefined) return fallback;
    throw new Error(`environment variable ${name} is required`);
  }
  try {
    return JSON.parse(raw) as T;
  } catch (error) {
    throw new Error(`environment variable ${name} is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * `{bodyLimitBytes}` from SWITCHYARD_MAX_BODY_BYTES (set by `switchyard up --max-body-size`), or `{}` for the
 * default; a value that is not a positive integer is an error naming the variable.
 */
export function bodyLimitOption(): { bodyLimitBytes?: number } {
  const raw = process.env.SWITCHYARD_MAX_BODY_BYTES;
  if (raw === undefined || raw === '') return {};
  const bytes = Number(raw);
  if (!Number.isSafeInteger(bytes) || bytes <= 0) throw new Error(`environment variable SWITCHYARD_MAX_BODY_BYTES must be a positive number of bytes; received "${raw}"`);
  return { bodyLimitBytes: bytes };
}

/**
 * How long a replica waits after its last request before it compacts its heap (runtime/host/idle-compact.ts),
 * from SWITCHYARD_IDLE_COMPACT_MS: default 2000, 0 never. A request that arrives during a compaction waits for
 * it (about 10 ms); anything but a whole number of milliseconds is an error naming the variable.
 */
export function idleCompactMs(): number {
  const raw = process.env.SWITCHYARD_IDLE_COMPACT_MS;
  if (raw === undefined || raw === '') return DEFAULT_IDLE_COMPACT_MS;
  const ms = Number(raw);
  if (!Number.isSafeInteger(ms) || ms < 0) throw new Error(`environment variable SWITCHYARD_IDLE_COMPACT_MS must be a whole number of milliseconds (0 turns idle compaction off); received "${raw}"`);
  return ms;
}
