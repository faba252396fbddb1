/**
 * @module A client of the frame transport (./codec.ts): calls to one peer over one Unix-socket connection,
 * any number in flight, answers matched by call id.
 *
 * The call has `httpCall`'s shape (../http/client.ts), so a caller picks a transport and nothing else changes.
 * The connection opens on the first call and again on the first call after it closed. When it fails, every
 * call in flight on it rejects with the socket's error (its `code`: ECONNREFUSED, ENOENT, ECONNRESET…), as an
 * HTTP call whose connection broke does; a call that times out rejects with a `TimeoutError`, one whose signal
 * aborts rejects with the signal's reason, and either way the server is sent a cancel frame (so a call still
 * queued there leaves the queue, as a closed HTTP connection would make it) and a late answer is dropped.
 */
import net from 'node:net';
import { abortError, timeoutError, type HttpAnswer, type HttpCall } from '../http/client.ts';
import { encodeFrame, FrameReader, headerList, headerRecord, responseHead } from './codec.ts';
import { writeFrame } from './write.ts';

interface Pending {
  resolve(answer: HttpAnswer): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout> | undefined;
  /** Stops listening to the call's abort signal. */
  unlisten: (() => void) | undefined;
}

/** Call ids wrap at 2^32; a connection never has that many in flight. */
const MAX_ID = 0xffffffff;

export class FrameClient {
  readonly socketPath: string;
  #socket: net.Socket | undefined;
  #pending = new Map<number, Pending>();
  #nextId = 1;
  #closed = false;

  constructor(socketPath: string) {
    this.socketPath = socketPath;
  }

  /** Calls in flight. */
  get inflight(): number {
    return this.#pending.size;
  }

  call(call: HttpCall): Promise<HttpAnswer> {
    if (this.#closed) return Promise.reject(Object.assign(new Error(`the connection to ${this.socketPath} is closed`), { code: 'ECONNRESET' }));
    const signal = call.signal;
    if (signal?.aborted) return Promise.reject(abortError(signal));
    const socket = this.#connection();
    const id = this.#nextId;
    this.#nextId = id === MAX_ID ? 1 : id + 1;
    return new Promise<HttpAnswer>((resolve, reject) => {
      const limit = call.timeoutMs;
      const pending: Pending = {
        resolve,
        reject,
        timer: limit === undefined ? undefined : setTimeout(() => this.#giveUp(id, timeoutError(limit)), limit),
        unlisten: undefined,
      };
      if (signal !== undefined) {
        const onAbort = () => this.#giveUp(id, abortError(signal));
        signal.addEventListener('abort', onAbort, { once: true });
        pending.unlisten = () => signal.removeEventListener('abort', onAbort);
      }
      this.#pending.set(id, pending);
      writeFrame(socket, encodeFrame(id, { m: call.method, p: call.path, h: headerList(call.headers) }, call.body));
    });
  }

  /** Close the connection; calls in flight reject. */
  close(): void {
    this.#closed = true;
    this.#socket?.destroy();
    this.#failAll(Object.assign(new Error(`the connection to ${this.socketPath} was closed`), { code: 'ECONNRESET' }));
  }

  #connection(): net.Socket {
    if (this.#socket !== undefined) return this.#socket;
    const socket = net.connect(this.socketPath);
    const reader = new FrameReader();
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => {
      let frames;
      try {
        frames = reader.push(chunk);
      } catch (error) {
        socket.destroy(error as Error);
        return;
      }
      for (const frame of frames) {
        const pending = this.#settle(frame.id);
        if (pending === undefined) continue;
        try {
          const head = responseHead(frame.head);
          pending.resolve({ status: head.s, headers: headerRecord(head.h), body: frame.body });
        } catch (error) {
          pending.reject(error as Error);
        }
      }
    });
    let failure: Error | undefined;
    socket.on('error', (error) => (failure = error));
    socket.on('close', () => {
      if (this.#socket === socket) this.#socket = undefined;
      this.#failAll(failure ?? Object.assign(new Error(`the connection to ${this.socketPath} closed with calls in flight`), { code: 'ECONNRESET' }));
    });
    return socket;
  }

  /** The caller gives up on call `id`: it rejects now, and the server hears that no answer is wanted. */
  #giveUp(id: number, error: Error): void {
    const pending = this.#settle(id);
    if (pending === undefined) return;
    pending.reject(error);
    if (this.#socket !== undefined) writeFrame(this.#socket, encodeFrame(id, { cancel: true }, undefined));
  }

  #settle(id: number): Pending | undefined {
    const pending = this.#pending.get(id);
    if (pending === undefined) return undefined;
    this.#pending.delete(id);
    clearTimeout(pending.timer);
    pending.unlisten?.();
    return pending;
  }

  #failAll(error: Error): void {
    const all = [...this.#pending.keys()];
    for (const id of all) this.#settle(id)?.reject(error);
  }
}
