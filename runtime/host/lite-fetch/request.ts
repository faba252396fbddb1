/**
 * @module `IncomingRequest`: a node:http request seen as a Fetch `Request`, without loading undici (see
 * ./headers.ts). What Hono and the function host use — method, url, headers, the body read whole or as a
 * stream, `signal` — is served from the node:http request; `clone()` and `formData()` build Node's own
 * `Request` from it and hand over to that. A request whose body has already arrived whole (a frame of the
 * local engine's transport, runtime/frames) is served from a `BufferedMessage` the same way.
 */
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { LiteHeaders } from './headers.ts';

/** A request the server cannot make a URL of: answered 400. */
export class RequestTargetError extends Error {
  override name = 'RequestTargetError';
}

const SIMPLE_HOST = /^[a-z0-9._-]+(?::(?:[1-5]\d{3,4}|[6-9]\d{3}|\d{1,3}))?$/;
/** A request target of common characters only (no escapes, no uppercase): taken as it is, without URL parsing. */
export const SIMPLE_TARGET = /^\/[!#$&-;=?-[\]_a-z~]*$/;
/** A `.` or `..` path segment, which URL parsing would resolve. */
export const DOT_SEGMENT = /\/\.\.?(?:[/?#]|$)/;
/** One decoder for every request (decoding whole buffers keeps no state between calls). */
const utf8 = new TextDecoder();

/** The request's absolute URL, from its target and Host header (origin form) or the target itself (absolute form). */
export function requestUrl(incoming: IncomingMessage): string {
  const target = incoming.url ?? '';
  if (/^https?:\/\//i.test(target)) return parsedUrl(target, 'the absolute request target is not a valid URL');
  const host = incoming.headers.host;
  if (!host) throw new RequestTargetError('the request has no Host header');
  const scheme = (incoming.socket as { encrypted?: boolean } | null)?.encrypted ? 'https' : 'http';
  if (target === '') return `${scheme}://${host}/`;
  if (target[0] !== '/') throw new RequestTargetError(`the request target must start with "/"; received "${target.slice(0, 100)}"`);
  if (SIMPLE_HOST.test(host) && SIMPLE_TARGET.test(target) && !DOT_SEGMENT.test(target)) return `${scheme}://${host}${target}`;
  const backslash = target.indexOf('\\');
  const query = target.indexOf('?');
  if (backslash !== -1 && (query === -1 || backslash < query)) throw new RequestTargetError('the request path contains a backslash');
  const url = parsedUrl(`${scheme}://${host}${target}`, 'the Host header and request target do not make a valid URL');
  const bareHost = (host.includes(':') ? host.replace(/:\d+$/, '') : host).toLowerCase();
  if (new URL(url).hostname !== bareHost) throw new RequestTargetError(`the Host header "${host.slice(0, 100)}" is not a valid host`);
  return url;
}

function parsedUrl(text: string, problem: string): string {
  try {
    return new URL(text).href;
  } catch {
    throw new RequestTargetError(problem);
  }
}

/** A request that arrived whole: its method, its headers as node's raw list, its body. */
export interface BufferedMessage {
  method: string;
  rawHeaders: readonly string[];
  body: Uint8Array;
}

type Source = IncomingMessage | BufferedMessage;

export class IncomingRequest {
  readonly method: string;
  readonly url: string;
  readonly cache = 'default';
  readonly credentials = 'same-origin';
  readonly destination = '';
  readonly integrity = '';
  readonly keepalive = false;
  readonly mode = 'cors';
  readonly redirect = 'follow';
  readonly referrer = 'about:client';
  readonly referrerPolicy = '';
  readonly duplex = 'half';
  #incoming: Source;
  #headers: LiteHeaders | undefined;
  #bytes: Promise<Uint8Array> | undefined;
  #stream: ReadableStream<Uint8Array> | null | undefined;
  #used = false;
  #abort: AbortController | undefined;
  #native: Request | undefined;

  constructor(incoming: Source, url: string) {
    this.#incoming = incoming;
    this.method = incoming.method ?? 'GET';
    this.url = url;
  }

  get headers(): LiteHeaders {
    return (this.#headers ??= LiteHeaders.fromRaw(this.#incoming.rawHeaders));
  }

  /** Aborted when the client goes away before the answer is sent (the server calls `abort`). */
  get signal(): AbortSignal {
    return (this.#abort ??= new AbortController()).signal;
  }

  abort(reason: string): void {
    this.#abort?.abort(new Error(reason));
  }

  get body(): ReadableStream<Uint8Array> | null {
    if (this.#native !== undefined) return this.#native.body;
    if (this.#stream === undefined) this.#stream = hasBody(this.#incoming) ? streamOf(this.#incoming) : null;
    return this.#stream;
  }

  get bodyUsed(): boolean {
    if (this.#native !== undefined) return this.#native.bodyUsed;
    return this.#used || (this.#stream?.locked ?? false);
  }

  async bytes(): Promise<Uint8Array<ArrayBuffer>> {
    if (this.#native !== undefined) return (await this.#native.bytes()) as Uint8Array<ArrayBuffer>;
    const bytes = await this.#consume();
    return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    return (await this.bytes()).buffer;
  }

  async text(): Promise<string> {
    if (this.#native !== undefined) return this.#native.text();
    return utf8.decode(await this.#consume());
  }

  async json(): Promise<unknown> {
    if (this.#native !== undefined) return this.#native.json();
    return JSON.parse(await this.text()) as unknown;
  }

  async blob(): Promise<Blob> {
    if (this.#native !== undefined) return this.#native.blob();
    return new Blob([await this.bytes()], { type: this.headers.get('content-type') ?? '' });
  }

  formData(): Promise<FormData> {
    return this.#toNative().formData();
  }

  clone(): Request {
    return this.#toNative().clone();
  }

  get [Symbol.toStringTag](): string {
    return 'Request';
  }

  #consume(): Promise<Uint8Array> {
    if (this.bodyUsed) return Promise.reject(new TypeError('Request: the body has already been read'));
    this.#used = true;
    if (this.#stream !== undefined && this.#stream !== null) return readAll(this.#stream);
    if (!hasBody(this.#incoming)) return Promise.resolve(new Uint8Array(0));
    const source = this.#incoming;
    return (this.#bytes ??= isBuffered(source) ? Promise.resolve(source.body) : readIncoming(source));
  }

  /** Node's own `Request` for this one (loads undici); from then on every body call goes to it. */
  #toNative(): Request {
    if (this.#native !== undefined) return this.#native;
    if (this.bodyUsed) throw new TypeError('Request: the body has already been read');
    const body = this.body;
    this.#native = new globalThis.Request(this.url, {
      method: this.method,
      headers: [...this.headers],
      signal: this.signal,
      ...(body === null ? {} : { body, duplex: 'half' }),
    } as RequestInit);
    return this.#native;
  }
}

function isBuffered(source: Source): source is BufferedMessage {
  return (source as BufferedMessage).body instanceof Uint8Array;
}

function streamOf(source: Source): ReadableStream<Uint8Array> {
  if (!isBuffered(source)) return Readable.toWeb(source) as ReadableStream<Uint8Array>;
  const body = source.body;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(body);
      controller.close();
    },
  });
}

function hasBody(incoming: Source): boolean {
  if (incoming.method === 'GET' || incoming.method === 'HEAD') return false;
  if (isBuffered(incoming)) return incoming.body.byteLength > 0;
  const length = incoming.headers['content-length'];
  return incoming.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function readIncoming(incoming: IncomingMessage): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    incoming.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.byteLength;
    });
    incoming.once('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
    incoming.once('error', reject);
    incoming.once('close', () => {
      if (!incoming.readableEnded) reject(new Error('the client closed the connection before sending the whole request body'));
    });
  });
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}
