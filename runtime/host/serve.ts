/**
 * @module Serving a function's app over HTTP with node:http and ./request-listener.ts (not @hono/node-server,
 * which loads undici): listen (port 0 → a free port), keep-alive on, and a close that stops accepting, lets
 * in-flight requests finish, and is bounded.
 */
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { requestListener } from './request-listener.ts';

export interface ServeOptions {
  /** 0 picks a free port; the handle reports the real one. */
  port: number;
  /** Interface to bind (default: all). */
  hostname?: string;
  /** How long an idle keep-alive connection stays open (default 65 s, longer than the usual proxy idle timeout). */
  keepAliveTimeoutMs?: number;
}

export interface ServerHandle {
  /** The port the server listens on. */
  port: number;
  server: Server;
  /** Stop accepting, close idle connections, wait for in-flight responses; after `timeoutMs` (default 10 s) cut the rest. */
  close(timeoutMs?: number): Promise<void>;
}

export interface Fetchable {
  /** Hono's `app.fetch`; `env` carries node:http's `{incoming, outgoing}`, as @hono/node-server's does. */
  fetch(request: Request, env?: unknown): Response | Promise<Response>;
}

export const DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 65_000;
export const DEFAULT_CLOSE_TIMEOUT_MS = 10_000;

/** Listen with `handle.app` (a function app handle, or anything with `app.fetch`) and resolve once listening. */
export async function serve(handle: { app: Fetchable }, options: ServeOptions): Promise<ServerHandle> {
  const app = handle.app;
  const server = createServer(requestListener({ fetch: (request, env) => app.fetch(request, env) }));
  server.keepAliveTimeout = options.keepAliveTimeoutMs ?? DEFAULT_KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = server.keepAliveTimeout + 1_000;
  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    if (options.hostname === undefined) server.listen(options.port, onListening);
    else server.listen(options.port, options.hostname, onListening);
  });
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    port,
    server,
    close(timeoutMs = DEFAULT_CLOSE_TIMEOUT_MS) {
      closing ??= new Promise<void>((resolve) => {
        const timer = setTimeout(() => server.closeAllConnections(), timeoutMs);
        timer.unref();
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}
