/**
 * @module The frame format of the local engine's internal transport (./client.ts, ./server.ts): HTTP's
 * request/response semantics as length-prefixed frames, many in flight on one connection.
 *
 * A frame is a 12-byte prefix, a JSON head and the body's bytes:
 *
 *     u32 LE  length of what follows this field (8 + head + body)
 *     u32 LE  call id (a response carries its request's)
 *     u32 LE  head length in bytes
 *     head    JSON: a request's {m: method, p: path and query, h: [name, value, …]}, a response's {s: status, h: […]},
 *             or {cancel: true}: the caller of that call id gave up (timed out, aborted) and wants no answer
 *     body    the bytes, as they are (a packed tensor stays packed)
 *
 * Why not HTTP/1.1 between our own processes: one request per connection at a time means a write and a
 * wake-up per message on each side, and on a small VM loopback writes dominate a hop's cost (profiles of the
 * gateway showed `writev` at 45 % of its busy time). Frames from many calls go out in one write.
 */

export const PREFIX_BYTES = 12;
/**
 * A frame larger than this is a broken peer, not a request: the connection is closed. Below 0x10000000, so the
 * first bytes of any text protocol (an HTTP request line) read as a length out of bounds at once. The engine
 * uses HTTP for its hops when its body limit is larger (runtime/engine/local/engine.ts).
 */
export const MAX_FRAME_BYTES = 256 * 1024 * 1024;

export interface RequestHead {
  m: string;
  p: string;
  h: string[];
}

export interface ResponseHead {
  s: number;
  h: string[];
}

/** The head of a frame that cancels the call with its id. */
export interface CancelHead {
  cancel: true;
}

export interface Frame {
  id: number;
  head: unknown;
  body: Buffer;
}

export type FrameBody = Uint8Array | string | readonly Uint8Array[] | undefined;

/** The frame's buffers, in order (the body's chunks are not copied). */
export function encodeFrame(id: number, head: RequestHead | ResponseHead | CancelHead, body: FrameBody): Uint8Array[] {
  const headBytes = Buffer.from(JSON.stringify(head));
  const chunks: Uint8Array[] = body === undefined ? [] : typeof body === 'string' ? [Buffer.from(body)] : isChunkList(body) ? [...body] : [body];
  let bodyBytes = 0;
  for (const chunk of chunks) bodyBytes += chunk.byteLength;
  const prefix = Buffer.allocUnsafe(PREFIX_BYTES);
  prefix.writeUInt32LE(8 + headBytes.byteLength + bodyBytes, 0);
  prefix.writeUInt32LE(id, 4);
  prefix.writeUInt32LE(headBytes.byteLength, 8);
  return [prefix, headBytes, ...chunks];
}

export class FrameError extends Error {
  override name = 'FrameError';
}

/**
 * Cuts a byte stream into frames. Chunks are kept as they come and joined once per frame, so a large body
 * that arrives in many reads is copied once, not once per read.
 */
export class FrameReader {
  #chunks: Buffer[] = [];
  #size = 0;
  /** Bytes the frame being read needs in all, or -1 before its prefix has arrived. */
  #need = -1;

  /** The frames this chunk completes; throws a FrameError for a stream that is not frames. */
  push(chunk: Buffer): Frame[] {
    this.#chunks.push(chunk);
    this.#size += chunk.byteLength;
    const frames: Frame[] = [];
    for (;;) {
      if (this.#need < 0) {
        if (this.#size < PREFIX_BYTES) break;
        const length = this.#peekLength();
        if (length < 8 || length > MAX_FRAME_BYTES) throw new FrameError(`a frame declares ${length} bytes; expected 8 to ${MAX_FRAME_BYTES}`);
        this.#need = 4 + length;
      }
      if (this.#size < this.#need) break;
      const bytes = this.#take(this.#need);
      this.#need = -1;
      frames.push(parse(bytes));
    }
    return frames;
  }

  #peekLength(): number {
    const first = this.#chunks[0]!;
    if (first.byteLength >= 4) return first.readUInt32LE(0);
    return Buffer.concat(this.#chunks, 4).readUInt32LE(0);
  }

  #take(count: number): Buffer {
    const first = this.#chunks[0]!;
    if (first.byteLength >= count) {
      const bytes = first.subarray(0, count);
      if (first.byteLength === count) this.#chunks.shift();
      else this.#chunks[0] = first.subarray(count);
      this.#size -= count;
      return bytes;
    }
    const joined = Buffer.concat(this.#chunks, this.#size);
    this.#chunks = joined.byteLength > count ? [joined.subarray(count)] : [];
    this.#size -= count;
    return joined.subarray(0, count);
  }
}

function parse(bytes: Buffer): Frame {
  const id = bytes.readUInt32LE(4);
  const headLength = bytes.readUInt32LE(8);
  if (PREFIX_BYTES + headLength > bytes.byteLength) throw new FrameError(`frame ${id} declares a ${headLength}-byte head in a ${bytes.byteLength}-byte frame`);
  let head: unknown;
  try {
    head = JSON.parse(bytes.toString('utf8', PREFIX_BYTES, PREFIX_BYTES + headLength));
  } catch (error) {
    throw new FrameError(`frame ${id} has a head that is not JSON: ${(error as Error).message}`);
  }
  return { id, head, body: bytes.subarray(PREFIX_BYTES + headLength) };
}

export function isCancel(head: unknown): head is CancelHead {
  return (head as Partial<CancelHead> | null)?.cancel === true;
}

/** A request head, checked (a peer that sends something else is broken). */
export function requestHead(head: unknown): RequestHead {
  const value = head as Partial<RequestHead> | null;
  if (typeof value?.m !== 'string' || typeof value.p !== 'string' || !Array.isArray(value.h)) throw new FrameError('a request frame needs a head {m, p, h}');
  return value as RequestHead;
}

/** A response head, checked. */
export function responseHead(head: unknown): ResponseHead {
  const value = head as Partial<ResponseHead> | null;
  if (typeof value?.s !== 'number' || !Array.isArray(value.h)) throw new FrameError('a response frame needs a head {s, h}');
  return value as ResponseHead;
}

/** A header record as the flat list frames carry. */
export function headerList(headers: Record<string, string>): string[] {
  const list: string[] = [];
  for (const name in headers) list.push(name, headers[name]!);
  return list;
}

/** A flat header list as a record: names lower-cased, repeats joined with ", " (as fetch's Headers#get). */
export function headerRecord(list: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let i = 0; i + 1 < list.length; i += 2) {
    const name = list[i]!.toLowerCase();
    const seen = headers[name];
    headers[name] = seen === undefined ? list[i + 1]! : `${seen}, ${list[i + 1]!}`;
  }
  return headers;
}

function isChunkList(body: Uint8Array | readonly Uint8Array[]): body is readonly Uint8Array[] {
  return Array.isArray(body);
}
