/**
 * @module Unary gRPC calls to servers that run elsewhere, by URL: what the clients of a graph's gRPC remote nodes
 * (infer-client.ts, seldon-client.ts) share.
 *
 * - A server's URL is `http://host[:port]` (cleartext HTTP/2, port 80 by default: a Knative or KServe service) or
 *   `https://host[:port]` (TLS, 443). One channel per server, kept for every call and every service on it (gRPC
 *   multiplexes calls on it).
 * - Each call has a deadline (the node's timeout) and carries the given metadata (the trace context); headers
 *   that are not valid gRPC metadata, or that HTTP/2 reserves, are left out.
 * - A call that ends in an error status rejects with a `GrpcCallError` that also gives the status's HTTP meaning.
 */
import * as grpc from '@grpc/grpc-js';
import { GrpcCallError } from './call-error.ts';

export interface GrpcUnaryCall {
  /** Sent as the call's metadata (lower-case keys). */
  metadata: Record<string, string>;
  timeoutMs: number;
}

export interface GrpcUnaryClient {
  /** Calls `method` (a method definition of a loaded service) on the server at `url`. */
  call<T>(url: string, method: grpc.MethodDefinition<any, any>, request: unknown, call: GrpcUnaryCall): Promise<T>;
  /** Closes every channel. */
  close(): void;
}

/** The largest answer taken by default (grpc-js's own default is 4 MiB, less than a batch of images' outputs). */
export const DEFAULT_MAX_RECEIVE_BYTES = 64 * 1024 * 1024;

const METADATA_KEY = /^[0-9a-z_.-]+$/;
/** Headers of HTTP/2 itself or of gRPC's framing: never metadata. */
const RESERVED = new Set(['content-type', 'content-length', 'te', 'host', 'connection', 'accept', 'accept-encoding', 'user-agent', 'transfer-encoding', 'keep-alive', 'upgrade']);

export function createGrpcUnaryClient(options: { maxReceiveBytes?: number } = {}): GrpcUnaryClient {
  const channels = new Map<string, grpc.Client>();
  const clientFor = (url: string) => {
    let client = channels.get(url);
    if (client === undefined) {
      const { target, secure } = grpcTarget(url);
      client = new grpc.Client(target, secure ? grpc.credentials.createSsl() : grpc.credentials.createInsecure(), {
        'grpc.max_receive_message_length': options.maxReceiveBytes ?? DEFAULT_MAX_RECEIVE_BYTES,
        'grpc.max_send_message_length': -1,
      });
      channels.set(url, client);
    }
    return client;
  };
  return {
    call<T>(url: string, method: grpc.MethodDefinition<any, any>, request: unknown, call: GrpcUnaryCall): Promise<T> {
      const client = clientFor(url);
      const metadata = new grpc.Metadata();
      for (const [key, value] of Object.entries(call.metadata)) {
        const name = key.toLowerCase();
        if (METADATA_KEY.test(name) && !name.startsWith('grpc-') && !name.startsWith(':') && !name.endsWith('-bin') && !RESERVED.has(name)) metadata.set(name, value);
      }
      return new Promise((resolve, reject) => {
        client.makeUnaryRequest(method.path, method.requestSerialize, method.responseDeserialize, request, metadata, { deadline: Date.now() + call.timeoutMs }, (error, value) => {
          if (error) {
            reject(new GrpcCallError({ code: error.code, codeName: grpc.status[error.code] ?? String(error.code), details: error.details || error.message, httpStatus: httpStatusForGrpc(error.code) }));
          } else resolve(value as T);
        });
      });
    },
    close() {
      for (const client of channels.values()) client.close();
      channels.clear();
    },
  };
}

/** `http://host[:port]` → `host:port` over cleartext HTTP/2; `https://…` → TLS. */
export function grpcTarget(url: string): { target: string; secure: boolean } {
  const parsed = new URL(url);
  const secure = parsed.protocol === 'https:';
  if (!secure && parsed.protocol !== 'http:') throw new Error(`a gRPC server's URL is http://host[:port] or https://host[:port]; received "${url}"`);
  return { target: `${parsed.hostname}:${parsed.port || (secure ? 443 : 80)}`, secure };
}

/** gRPC status → the HTTP status of the same meaning (google.rpc.Code's mapping); any other status is a 500. */
const HTTP_FOR_GRPC: Readonly<Partial<Record<grpc.status, number>>> = {
  [grpc.status.INVALID_ARGUMENT]: 400,
  [grpc.status.OUT_OF_RANGE]: 400,
  [grpc.status.FAILED_PRECONDITION]: 400,
  [grpc.status.UNAUTHENTICATED]: 401,
  [grpc.status.PERMISSION_DENIED]: 403,
  [grpc.status.NOT_FOUND]: 404,
  [grpc.status.ABORTED]: 409,
  [grpc.status.ALREADY_EXISTS]: 409,
  [grpc.status.RESOURCE_EXHAUSTED]: 429,
  [grpc.status.CANCELLED]: 499,
  [grpc.status.UNIMPLEMENTED]: 501,
  [grpc.status.UNAVAILABLE]: 503,
  [grpc.status.DEADLINE_EXCEEDED]: 504,
};

export function httpStatusForGrpc(code: number): number {
  return HTTP_FOR_GRPC[code as grpc.status] ?? 500;
}
