/**
 * @module The engine adapter every function entry uses: environment in, HTTP server out, signals wired.
 *
 * Reads `PORT` and `HOST`; tells a local-engine parent (over IPC, when there is one) the port it listens on
 * and when it is ready; on SIGTERM fails readiness, drains in-flight requests (bounded) and exits.
 * This is the only layer that reads `process.env`.
 */
import { serve } from '../runtime/host/serve.ts';
import type { Hono } from 'hono';

export interface AppHandle {
  app: Hono;
  ready: Promise<void>;
  drain(timeoutMs: number): Promise<void>;
}

const DRAIN_TIMEOUT_MS = 20_000;

export async function runFunction(name: string, handle: AppHandle): Promise<void> {
  const port = Number(process.env.PORT ?? 8080);
  const hostname = process.env.HOST ?? '0.0.0.0';
  const server = await serve(handle, { port, hostname });
  process.send?.({ type: 'listening', port: server.port });
  handle.ready.then(
    () => process.send?.({ type: 'ready', port: server.port }),
    (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      process.stderr.write(`${name}: failed to initialise: ${message}\n`);
      process.send?.({ type: 'failed', message });
    },
  );
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await handle.drain(DRAIN_TIMEOUT_MS);
    await server.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  // A local-engine parent that goes away takes its replicas with it.
  process.on('disconnect', () => void stop());
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
