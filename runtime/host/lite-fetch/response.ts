/**
 * @module `LiteResponse`: the Fetch standard's `Response` for the bodies a function answers with (none, text,
 * bytes, form parameters), without loading undici (see ./headers.ts for why).
 *
 * Any other body (a Blob, FormData, a stream from elsewhere) makes it build Node's own `Response` and hand every
 * call to it, as do `formData()`, `Response.error()` and `Response.redirect()`. Byte bodies are kept, not copied:
 * do not change an array after answering with it. `body` gives a web stream of the bytes; a `LiteResponse` made
 * from that stream (Hono's `new Response(res.body, res)`) takes the bytes without reading it.
 */
import { LiteHeaders, type HeadersInitLike } from './headers.ts';

type FastBody = string | Uint8Array | null;

export interface LiteResponseInit {
  status?: number;
  statusText?: string;
  headers?: HeadersInitLike | LiteHeaders | null;
}

/** What a server writes: available while the body is neither read nor streamed. */
export interface ResponseParts {
  status: number;
  statusText: string;
  headers: LiteHeaders;
  body: FastBody;
}

const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);
const REASON_PHRASE = /^[\t\x20-\x7e\x80-\xff]*$/;
const TEXT_PLAIN = 'text/plain;charset=UTF-8';
const FORM = 'application/x-www-form-urlencoded;charset=UTF-8';

/** The streams `body` handed out, with the bytes behind them. */
const streamed = new WeakMap<ReadableStream<Uint8Array>, FastBody>();
const utf8 = new TextDecoder();

/** Node's own class, touched (and undici loaded) only when a response needs it. */
const nativeResponse = (): typeof globalThis.Response => globalThis.Response;

export class LiteResponse {
  #status: number;
  #statusText: string;
  #headers: LiteHeaders;
  #body: FastBody = null;
  #used = false;
  /** Its stream was read from or cancelled ("disturbed", in the standard's words). */
  #disturbed = false;
  #stream: ReadableStream<Uint8Array> | undefined;
  #native: globalThis.Response | undefined;

  constructor(body?: unknown, init: LiteResponseInit = {}) {
    const status = init.status ?? 200;
    if (!Number.isInteger(status) || status < 200 || status > 599) throw new RangeError(`Response: init.status must be an integer from 200 to 599; received ${String(status)}`);
    const statusText = init.statusText ?? '';
    if (!REASON_PHRASE.test(statusText)) throw new TypeError('Response: init.statusText may not contain CR, LF or other control characters');
    this.#status = status;
    this.#statusText = statusText;
    this.#headers = new LiteHeaders(init.headers ?? undefined);
    const fast = fastBody(body);
    if (fast === undefined) {
      this.#native = new (nativeResponse())(body as ConstructorParameters<typeof globalThis.Response>[0], { status, statusText, headers: [...this.#headers] });
      return;
    }
    if (fast.body !== null && NULL_BODY_STATUS.has(status)) throw new TypeError(`Response: a ${status} response cannot have a body`);
    this.#body = fast.body;
    if (fast.type !== undefined && !this.#headers.has('content-type')) this.#headers.set('content-type', fast.type);
  }

  static json(data: unknown, init: LiteResponseInit = {}): LiteResponse {
    const text = JSON.stringify(data);
    if (text === undefined) throw new TypeError('Response.json: the value is not JSON serializable');
    const response = new LiteResponse(text, init);
    if (!new LiteHeaders(init.headers ?? undefined).has('content-type')) response.#headers.set('content-type', 'application/json');
    return response;
  }

  static error(): globalThis.Response {
    return nativeResponse().error();
  }

  static redirect(url: string | URL, status?: number): globalThis.Response {
    return nativeResponse().redirect(url, status as Parameters<typeof globalThis.Response.redirect>[1]);
  }

  /** The status, headers and unread body, for a server to write directly; marks the body used. */
  static take(response: unknown): ResponseParts | undefined {
    if (!(response instanceof LiteResponse) || response.#native !== undefined || !response.#readable()) return undefined;
    response.#used = true;
    return { status: response.#status, statusText: response.#statusText, headers: response.#headers, body: response.#body };
  }

  get status(): number {
    return this.#native?.status ?? this.#status;
  }

  get statusText(): string {
    return this.#native?.statusText ?? this.#statusText;
  }

  get ok(): boolean {
    return this.status >= 200 && this.status <= 299;
  }

  get headers(): LiteHeaders | Headers {
    return this.#native?.headers ?? this.#headers;
  }

  get redirected(): boolean {
    return this.#native?.redirected ?? false;
  }

  get type(): globalThis.Response['type'] {
    return this.#native?.type ?? 'default';
  }

  get url(): string {
    return this.#native?.url ?? '';
  }

  get body(): ReadableStream<Uint8Array> | null {
    if (this.#native !== undefined) return this.#native.body;
    if (this.#body === null) return null;
    if (this.#stream === undefined) {
      const body = this.#body;
      // Pulled only when read (high-water mark 0), so reading or cancelling it is what marks the body used.
      this.#stream = new ReadableStream<Uint8Array>(
        {
          pull: (controller) => {
            this.#disturbed = true;
            controller.enqueue(typeof body === 'string' ? new TextEncoder().encode(body) : new Uint8Array(body));
            controller.close();
          },
          cancel: () => {
            this.#disturbed = true;
          },
        },
        { highWaterMark: 0 },
      );
      streamed.set(this.#stream, body);
    }
    return this.#stream;
  }

  get bodyUsed(): boolean {
    if (this.#native !== undefined) return this.#native.bodyUsed;
    return this.#used || this.#disturbed;
  }

  async text(): Promise<string> {
    if (this.#native !== undefined) return this.#native.text();
    const body = await this.#consume();
    return typeof body === 'string' ? body : body === null ? '' : utf8.decode(body);
  }

  async json(): Promise<unknown> {
    if (this.#native !== undefined) return this.#native.json();
    return JSON.parse(await this.text()) as unknown;
  }

  async bytes(): Promise<Uint8Array<ArrayBuffer>> {
    if (this.#native !== undefined) return (await this.#native.bytes()) as Uint8Array<ArrayBuffer>;
    return copyBytes(await this.#consume());
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    if (this.#native !== undefined) return this.#native.arrayBuffer();
    return copyBytes(await this.#consume()).buffer;
  }

  async blob(): Promise<Blob> {
    if (this.#native !== undefined) return this.#native.blob();
    return new Blob([copyBytes(await this.#consume())], { type: this.#headers.get('content-type') ?? '' });
  }

  async formData(): Promise<FormData> {
    if (this.#native !== undefined) return this.#native.formData();
    const bytes = copyBytes(await this.#consume());
    return new (nativeResponse())(bytes, { headers: [...this.#headers] }).formData();
  }

  clone(): LiteResponse | globalThis.Response {
    if (this.#native !== undefined) return this.#native.clone();
    if (!this.#readable()) throw new TypeError('Response.clone: the body has already been read');
    const copy = new LiteResponse(null, { status: this.#status, statusText: this.#statusText, headers: this.#headers });
    copy.#body = this.#body;
    return copy;
  }

  get [Symbol.toStringTag](): string {
    return 'Response';
  }

  /** Neither read nor locked by a reader (a response made from its stream holds one). */
  #readable(): boolean {
    return !this.bodyUsed && !(this.#stream?.locked ?? false);
  }

  async #consume(): Promise<FastBody> {
    if (!this.#readable()) throw new TypeError('Response: the body has already been read');
    // A response without a body can be "read" again and again, as Node's can.
    if (this.#body === null) return null;
    this.#used = true;
    if (this.#stream === undefined) return this.#body;
    return readStream(this.#stream);
  }
}

/** The body as text or bytes with its default content type; undefined for kinds that need Node's `Response`. */
function fastBody(body: unknown): { body: FastBody; type?: string } | undefined {
  if (body === undefined || body === null) return { body: null };
  if (typeof body === 'string') return { body, type: TEXT_PLAIN };
  if (body instanceof Uint8Array) return { body };
  if (ArrayBuffer.isView(body)) return { body: new Uint8Array(body.buffer as ArrayBuffer, body.byteOffset, body.byteLength) };
  if (body instanceof ArrayBuffer) return { body: new Uint8Array(body) };
  if (body instanceof URLSearchParams) return { body: body.toString(), type: FORM };
  const stream = body as ReadableStream<Uint8Array>;
  if (streamed.has(stream) && !stream.locked) {
    // Taken whole, as reading it would: the stream is locked so its response counts as read.
    stream.getReader();
    return { body: streamed.get(stream)! };
  }
  return undefined;
}

function copyBytes(body: FastBody): Uint8Array<ArrayBuffer> {
  if (body === null) return new Uint8Array(0);
  if (typeof body === 'string') return new TextEncoder().encode(body);
  return new Uint8Array(body);
}

async function readStream(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
  }
  return Buffer.concat(chunks, size);
}
