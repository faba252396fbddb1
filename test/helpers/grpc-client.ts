/** Test helper: a grpc-js client for `inference.GRPCInferenceService` (or another service), with calls as promises. */
import * as grpc from '@grpc/grpc-js';
import { loadInferenceService, type InferenceServiceDefinition } from '../../runtime/grpc/load-proto.ts';

export type GrpcResult = { ok: true; value: any } | { ok: false; code: grpc.status; details: string };

export interface InferenceClient {
  call(method: string, request: unknown, metadata?: Record<string, string>): Promise<GrpcResult>;
  close(): void;
}

export function inferenceClient(address: string, definition: InferenceServiceDefinition = loadInferenceService()): InferenceClient {
  const { Client } = definition;
  const client = new Client(address, grpc.credentials.createInsecure()) as unknown as grpc.Client & Record<string, Function>;
  return {
    call(method, request, metadata = {}) {
      const meta = new grpc.Metadata();
      for (const [key, value] of Object.entries(metadata)) meta.set(key, value);
      return new Promise((resolve) => {
        client[method]!.call(client, request, meta, { deadline: Date.now() + 20_000 }, (error: grpc.ServiceError | null, value: unknown) => {
          resolve(error ? { ok: false, code: error.code, details: error.details } : { ok: true, value });
        });
      });
    },
    close: () => client.close(),
  };
}

/** The gRPC status name of a code, for readable assertions. */
export const codeName = (code: grpc.status): string => grpc.status[code] as string;
