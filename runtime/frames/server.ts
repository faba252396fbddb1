/**
 * @module A server of the frame transport (./codec.ts) on a Unix socket: each request frame goes to the
 * handler and its answer goes back as a response frame with the same call id, as soon as it is ready (answers
 * need not keep the requests' order).
 *
 * A cancel frame aborts the call's `signal` (its caller gave up; a gateway then takes the call out of its queue).
 * A handler that throws answers 500 with the error's message. A peer that sends something that is not frames
 * loses its connection (peers are the engine's own processes; nothing else connects). `close` stops accepting,
 * lets the calls in flight answer (bounded), then closes the connections and removes the socket file.
 */
import fs from 'node:fs';
import net from 'node:net';
import { encodeFrame, FrameReader, headerList, isCancel, requestHead, type FrameBody } from './codec.ts';
import { writeFrame } from './write.ts';

export interface FrameRequest {
  method: string;
  /** Path and query. */
  path: string;
  /** name, value, name, value… as sent. */
  headers: string[];
  body: Buffer;
  /** Aborts when the caller cancels the call (it timed out or gave up). Made on first use. */
  readonly signal: AbortSignal;
}

/** A call being answered: its signal, made only if the handler asks for it. */
class Call implements FrameRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: string[];
  readonly body: Buffer;
  #controller: AbortController | undefined;
  #cancelled = false;

  constructor(method: string, path: string, headers: string[], body: Buffer) {
    this.method = method;
    this.path = path;
    this.headers = headers;
    this.body = body;
  }

  get signal(): AbortSignal {
    this.#controller ??= new AbortController();
    if (this.#cancelled && !this.#controller.signal.aborted) this.#controller.abort(cancelled());
    return this.#controller.signal;
  }

  cancel(): void {
    this.#cancelled = true;
    this.#controller?.abort(cancelled());
  }
}

function cancelled(): Error {
  return Object.assign(new Error('the caller cancelled the call'), { name: 'AbortError' });
}

export interface FrameAnswer {
  status: number;
  headers: Record<string, string>;
  body: FrameBody;
}

export type FrameHandler = (request: FrameRequest) => FrameAnswer | Promise<FrameAnswer>;

export interface FrameServerHandle {
  socketPath: string;
  /** Calls being answered. */
  inflight(): number;
  /** Calls received since the server started. */
  calls(): number;
  close(timeoutMs?: number): Promise<void>;
}

export async function serveFrames(socketPath: string, handler: FrameHandler): Promise<FrameServerHandle> {
  // A socket file left by a process that died is in the way of listen (EADDRINUSE): nothing listens on it.
  fs.rmSync(socketPath, { force: true });
  const sockets = new Set<net.Socket>();
  let inflight = 0;
  let calls = 0;
  let idle: (() => void) | undefined;

  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const reader = new FrameReader();
    /** This connection's calls being answered, by id (for cancel frames). */
    const open = new Map<number, Call>();
    socket.on('data', (chunk: Buffer) => {
      let frames;
      try {
        frames = reader.push(chunk);
      } catch {
        socket.destroy();
        return;
      }
      for (const frame of frames) {
        if (isCancel(frame.head)) {
          open.get(frame.id)?.cancel();
          continue;
        }
        let request: Call;
        try {
          const head = requestHead(frame.head);
          request = new Call(head.m, head.p, head.h, frame.body);
        } catch {
          socket.destroy();
          return;
        }
        inflight++;
        calls++;
        open.set(frame.id, request);
        const answer = (result: FrameAnswer) => {
          open.delete(frame.id);
          writeFrame(socket, encodeFrame(frame.id, { s: result.status, h: headerList(result.headers) }, result.body));
          if (--inflight === 0) idle?.();
        };
        let result: FrameAnswer | Promise<FrameAnswer>;
        try {
          result = handler(request);
        } catch (error) {
          answer(failure(error));
          continue;
        }
        if (result instanceof Promise) result.then(answer, (error: unknown) => answer(failure(error)));
        else answer(result);
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => {
      server.off('error', reject);
      resolve();
    });
  });

  let closing: Promise<void> | undefined;
  return {
    socketPath,
    inflight: () => inflight,
    calls: () => calls,
    close(timeoutMs = 10_000) {
      closing ??= new Promise<void>((resolve) => {
        server.close();
        const finish = () => {
          clearTimeout(timer);
          // The last answers may still be corked (./write.ts): send them, then close each connection.
          for (const socket of sockets) {
            socket.uncork();
            socket.end();
            setTimeout(() => socket.destroy(), 1000).unref();
          }
          fs.rmSync(socketPath, { force: true });
          resolve();
        };
        const timer = setTimeout(finish, timeoutMs);
        timer.unref();
        if (inflight === 0) finish();
        else idle = finish;
      });
      return closing;
    },
  };
}

function failure(error: unknown): FrameAnswer {
  const timeout = error instanceof Error && error.name === 'TimeoutError';
  const message = error instanceof Error ? error.message : String(error);
  return { status: timeout ? 504 : 500, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: `${timeout ? 'the request timed out' : 'internal server error'}: ${message}\n` };
}
