/**
 * @module `LiteHeaders`: the Fetch standard's `Headers`, in plain JavaScript, for function processes.
 *
 * Node defines the global `Headers`, `Request` and `Response` lazily: the first touch loads undici and what it
 * pulls in (TLS, HTTP/2, web streams, about 13 MiB resident in an idle function, bench/: memory). Function bundles
 * give Hono and Switchyard's own run-time code these classes instead (compiler/bundle/lean-runtime.ts), so a
 * function that only serves HTTP never loads undici. User components still see Node's own globals.
 *
 * Same behaviour as `Headers` for everything Switchyard and Hono use: names are case-insensitive and validated
 * (an HTTP token), values trimmed of HTTP whitespace and refused with NUL, CR, LF or characters above U+00FF
 * (TypeError, as Node's), `get` joins repeated values with ", ", `set-cookie` values stay apart
 * (`getSetCookie`, iteration), iteration is sorted by lower-case name. There is no "immutable" guard.
 */

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const FORBIDDEN_VALUE = /[\0\r\n]|[^\0-\xff]/;
const HTTP_WHITESPACE = /^[\t\n\r ]+|[\t\n\r ]+$/g;
const SET_COOKIE = 'set-cookie';

/** What `new Headers(init)` takes: another Headers (Node's or this one), `[name, value]` pairs, or a record. */
export type HeadersInitLike = Iterable<readonly [string, string]> | Record<string, string>;

export class LiteHeaders {
  /** lower-case name → combined value (set-cookie lives in #cookies). */
  #map = new Map<string, string>();
  #cookies: string[] | undefined;

  constructor(init?: HeadersInitLike | null) {
    if (init === undefined || init === null) return;
    if (init instanceof LiteHeaders) {
      for (const [name, value] of init.#map) this.#map.set(name, value);
      if (init.#cookies !== undefined) this.#cookies = [...init.#cookies];
      return;
    }
    if (typeof init !== 'object' && typeof init !== 'function') throw new TypeError("Headers: the init argument must be an object, a sequence of name-value pairs or a Headers");
    if (typeof (init as Iterable<unknown>)[Symbol.iterator] === 'function') {
      for (const pair of init as Iterable<unknown>) {
        if (pair === null || typeof pair !== 'object' || typeof (pair as Iterable<unknown>)[Symbol.iterator] !== 'function') {
          throw new TypeError('Headers: each item of a header sequence must be a [name, value] pair');
        }
        const items = [...(pair as Iterable<unknown>)];
        if (items.length !== 2) throw new TypeError(`Headers: each item of a header sequence must be a [name, value] pair; received ${items.length} items`);
        this.append(String(items[0]), String(items[1]));
      }
      return;
    }
    for (const name of Object.keys(init)) this.append(name, String((init as Record<string, unknown>)[name]));
  }

  append(name: string, value: string): void {
    const key = checkName(name);
    const v = normalizeValue(value, name);
    if (key === SET_COOKIE) (this.#cookies ??= []).push(v);
    else {
      const existing = this.#map.get(key);
      this.#map.set(key, existing === undefined ? v : `${existing}, ${v}`);
    }
  }

  set(name: string, value: string): void {
    const key = checkName(name);
    const v = normalizeValue(value, name);
    if (key === SET_COOKIE) this.#cookies = [v];
    else this.#map.set(key, v);
  }

  get(name: string): string | null {
    const key = checkName(name);
    if (key === SET_COOKIE) return this.#cookies === undefined || this.#cookies.length === 0 ? null : this.#cookies.join(', ');
    return this.#map.get(key) ?? null;
  }

  has(name: string): boolean {
    const key = checkName(name);
    return key === SET_COOKIE ? this.#cookies !== undefined && this.#cookies.length > 0 : this.#map.has(key);
  }

  delete(name: string): void {
    const key = checkName(name);
    if (key === SET_COOKIE) this.#cookies = undefined;
    else this.#map.delete(key);
  }

  getSetCookie(): string[] {
    return this.#cookies === undefined ? [] : [...this.#cookies];
  }

  forEach(callback: (value: string, name: string, headers: LiteHeaders) => void, thisArg?: unknown): void {
    for (const [name, value] of this.#sorted()) callback.call(thisArg, value, name, this);
  }

  entries(): IterableIterator<[string, string]> {
    return this.#sorted()[Symbol.iterator]();
  }

  keys(): IterableIterator<string> {
    return this.#sorted().map(([name]) => name)[Symbol.iterator]();
  }

  values(): IterableIterator<string> {
    return this.#sorted().map(([, value]) => value)[Symbol.iterator]();
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }

  get [Symbol.toStringTag](): string {
    return 'Headers';
  }

  /** The sort-and-combine list of the standard: by name, set-cookie values one entry each. */
  #sorted(): Array<[string, string]> {
    const names = [...this.#map.keys()];
    if (this.#cookies !== undefined && this.#cookies.length > 0) names.push(SET_COOKIE);
    names.sort();
    const out: Array<[string, string]> = [];
    for (const name of names) {
      if (name === SET_COOKIE) for (const cookie of this.#cookies!) out.push([SET_COOKIE, cookie]);
      else out.push([name, this.#map.get(name)!]);
    }
    return out;
  }

  /** For node:http: `{name: value}`, set-cookie as an array. Values are already valid. */
  static toNode(headers: LiteHeaders): Record<string, string | string[]> {
    const out: Record<string, string | string[]> = {};
    for (const [name, value] of headers.#map) out[name] = value;
    if (headers.#cookies !== undefined && headers.#cookies.length > 0) out[SET_COOKIE] = [...headers.#cookies];
    return out;
  }

  /** From node:http's `rawHeaders` (name, value, …), which its parser has already checked. */
  static fromRaw(raw: readonly string[]): LiteHeaders {
    const headers = new LiteHeaders();
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const key = raw[i]!.toLowerCase();
      const value = raw[i + 1]!.replace(HTTP_WHITESPACE, '');
      if (key === SET_COOKIE) (headers.#cookies ??= []).push(value);
      else {
        const existing = headers.#map.get(key);
        headers.#map.set(key, existing === undefined ? value : `${existing}, ${value}`);
      }
    }
    return headers;
  }
}

Object.defineProperty(LiteHeaders.prototype, Symbol.for('nodejs.util.inspect.custom'), {
  value(this: LiteHeaders) {
    return `Headers ${JSON.stringify(Object.fromEntries(this.entries()))}`;
  },
});

function checkName(name: string): string {
  const text = String(name);
  if (!TOKEN.test(text)) throw new TypeError(`Headers: "${text}" is not a valid header name (an HTTP token: letters, digits and !#$%&'*+-.^_\`|~)`);
  return text.toLowerCase();
}

function normalizeValue(value: string, name: string): string {
  const text = String(value).replace(HTTP_WHITESPACE, '');
  if (FORBIDDEN_VALUE.test(text)) throw new TypeError(`Headers: the value of "${name}" may not contain NUL, CR, LF or characters above U+00FF`);
  return text;
}
