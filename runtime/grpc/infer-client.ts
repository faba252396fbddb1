/**
 * @module Calls `ModelInfer` on Open Inference Protocol servers over gRPC (Triton, KServe, MLServer): the client of
 * a graph's `grpc-v2` remote nodes.
 *
 * - A server's URL is `http://host[:port]` (cleartext HTTP/2, port 80 by default: a Knative or KServe service) or
 *   `https://host[:port]` (TLS, 443). One channel per server, kept for every call (gRPC multiplexes calls on it).
 * - Each call has a deadline (the node's timeout) and carries the given metadata (the trace context); headers
 *   that are not valid gRPC metadata, or that HTTP/2 reserves, are left out.
 * - A call that ends in an error status rejects with a `GrpcCallError` that also gives the status's HTTP meaning.
 */
import * as grpc from '@grpc/grpc-js';
import { GrpcCallError } from './call-error.ts';
import type { ModelInferRequestMessage } from './infer-codec.ts';
import type { ModelInferResponseMessage } from './infer-client-codec.ts';
import type { InferenceServiceDefinition } from './load-proto.ts';

export interface GrpcInferCall {
  /** Sent as the call's metadata (lower-case keys). */
  metadata: Record<string, string>;
  timeoutMs: number;
}

/** A decoded ModelMetadataResponse (64-bit dimensions as strings). */
export interface ModelMetadataResponseMessage {
  name?: string;
  versions?: string[];
  platform?: string;
  inputs?: Array<{ name?: string; datatype?: string; shape?: Array<string | number> }>;
  outputs?: Array<{ name?: string; datatype?: string; shape?: Array<string | number> }>;
}

export interface GrpcInferClient {
  infer(url: string, request: ModelInferRequestMessage, call: GrpcInferCall): Promise<ModelInferResponseMessage>;
  /** ModelMetadata: the model's name, platform and tensors. */
  metadata(url: string, model: string, call: GrpcInferCall): Promise<ModelMetadataResponseMessage>;
  /** Closes every channel. */
  close(): void;
}

/** The largest answer taken by default (grpc-js's own default is 4 MiB, less than a batch of images' outputs). */
export const DEFAULT_MAX_RECEIVE_BYTES = 64 * 1024 * 1024;

const METADATA_KEY = /^[0-9a-z_.-]+$/;
/** Headers of HTTP/2 itself or of gRPC's framing: never metadata. */
const RESERVED = new Set(['content-type', 'content-length', 'te', 'host', 'connection', 'accept', 'accept-encoding', 'user-agent', 'transfer-encoding', 'keep-alive', 'upgrade']);

type InferMethod = (request: unknown, metadata: grpc.Metadata, options: grpc.CallOptions, callback: (error: grpc.ServiceError | null, value?: unknown) => void) => void;

export function createGrpcInferClient(service: InferenceServiceDefinition, options: { maxReceiveBytes?: number } = {}): GrpcInferClient {
  const channels = new Map<string, grpc.Client & { ModelInfer: InferMethod; ModelMetadata: InferMethod }>();
  const clientFor = (url: string) => {
    let client = channels.get(url);
    if (client === undefined) {
      const { target, secure } = grpcTarget(url);
      client = new service.Client(target, secure ? grpc.credentials.createSsl() : grpc.credentials.createInsecure(), {
        'grpc.max_receive_message_length': options.maxReceiveBytes ?? DEFAULT_MAX_RECEIVE_BYTES,
        'grpc.max_send_message_length': -1,
      }) as unknown as grpc.Client & { ModelInfer: InferMethod; ModelMetadata: InferMethod };
      channels.set(url, client);
    }
    return client;
  };
  /** One unary call with the call's metadata and deadline; an error status rejects with a GrpcCallError. */
  const unary = <T>(url: string, method: 'ModelInfer' | 'ModelMetadata', request: unknown, call: GrpcInferCall): Promise<T> => {
    const client = clientFor(url);
    const metadata = new grpc.Metadata();
    for (const [key, value] of Object.entries(call.metadata)) {
      const name = key.toLowerCase();
      if (METADATA_KEY.test(name) && !name.startsWith('grpc-') && !name.startsWith(':') && !name.endsWith('-bin') && !RESERVED.has(name)) metadata.set(name, value);
    }
    return new Promise((resolve, reject) => {
      client[method](request, metadata, { deadline: Date.now() + call.timeoutMs }, (error, value) => {
        if (error) {
          reject(new GrpcCallError({ code: error.code, codeName: grpc.status[error.code] ?? String(error.code), details: error.details || error.message, httpStatus: httpStatusForGrpc(error.code) }));
        } else resolve(value as T);
      });
    });
  };
  return {
    infer: (url, request, call) => unary<ModelInferResponseMessage>(url, 'ModelInfer', request, call),
    metadata: (url, model, call) => unary<ModelMetadataResponseMessage>(url, 'ModelMetadata', { name: model }, call),
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
