/**
 * @module A server of the frame transport (./codec.ts) on a Unix socket: each request frame goes to the
 * handler and its answer goes back as a response frame with the same call id, as soon as it is ready (answers
 * need not keep the requests' order).
 *
 * A handler that throws answers 500 with the error's message. A peer that sends something that is not frames
 * loses its connection (peers are the engine's own processes; nothing else connects). `close` stops accepting,
 * lets the calls in flight answer (bounded), then closes the connections and removes the socket file.
 */
import fs from 'node:fs';
import net from 'node:net';
import { encodeFrame, FrameReader, headerList, requestHead, type FrameBody } from './codec.ts';
import { writeFrame } from './write.ts';

export interface FrameRequest {
  method: string;
  /** Path and query. */
  path: string;
  /** name, value, name, value… as sent. */
  headers: string[];
  body: Buffer;
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
    socket.on('data', (chunk: Buffer) => {
      let frames;
      try {
        frames = reader.push(chunk);
      } catch {
        socket.destroy();
        return;
      }
      for (const frame of frames) {
        let request: FrameRequest;
        try {
          const head = requestHead(frame.head);
          request = { method: head.m, path: head.p, headers: head.h, body: frame.body };
        } catch {
          socket.destroy();
          return;
        }
        inflight++;
        calls++;
        const answer = (result: FrameAnswer) => {
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
