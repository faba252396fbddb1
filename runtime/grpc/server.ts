/**
 * @module The Open Inference Protocol over gRPC (`inference.GRPCInferenceService`) and Seldon Core's external
 * gRPC API (`seldon.protos.Seldon`: Predict and SendFeedback), served by turning each call into the equivalent
 * REST request and answering from its REST answer.
 *
 * `fetch` is the REST front door (the local gateway's `app.fetch`, in-process), so a gRPC call takes exactly
 * the path a REST call takes — auth, cold starts, queueing, the orchestrator's one V2 ↔ Seldon conversion,
 * feedback reaching the routers — and only the protobuf ↔ JSON step (infer-codec.ts, seldon-codec.ts) is
 * gRPC's own. Seldon's ModelMetadata is a node's `GET /api/v1.0/metadata/<node>`; its GraphMetadata gathers every
 * node's and the graph's own input and output tensors (`GET /v2/models/<graph>`). The `authorization`, `traceparent` and
 * `tracestate` metadata travel as the HTTP headers of the same name. REST statuses become gRPC codes
 * (status.ts); readiness answers `ready: false` rather than an error.
 */
import * as grpc from '@grpc/grpc-js';
import { ProtocolError, toProtocolError } from '../protocol/errors.ts';
import type { InferenceResponse } from '../protocol/v2-types.ts';
import { modelInferToRest, restToModelInfer, type ModelInferRequestMessage } from './infer-codec.ts';
import { INFERENCE_SERVICE, loadInferenceService, loadSeldonService, SELDON_SERVICE, type GrpcServices } from './load-proto.ts';
import { binaryHeaderLength, binaryInferAnswer, binaryInferBody } from './binary-rest.ts';
import { INFERENCE_HEADER_CONTENT_LENGTH } from '../protocol/v2-binary.ts';
import { feedbackFromProto, seldonMessageFromProto, seldonMessageToProto, seldonModelMetadataToProto } from './seldon-codec.ts';
import type { SeldonMessage } from '../protocol/seldon-types.ts';
import { grpcCodeForHttp, grpcError } from './status.ts';
import { injectTraceContext, traceGrpcCall } from '../tracing/grpc-span.ts';

export interface GrpcServerOptions {
  /** 0 picks a free port. */
  port: number;
  host: string;
  /** Answers a REST request: the gateway's `app.fetch`. */
  fetch: (request: Request) => Response | Promise<Response>;
  /** Largest request message accepted (RESOURCE_EXHAUSTED beyond); the REST body limit. */
  maxMessageBytes: number;
  /** The service definitions; default: loaded from the .proto files next to load-proto.ts (a bundle passes its own). */
  services?: GrpcServices;
}

export interface GrpcServerHandle {
  port: number;
  /** `host:port`, what a client dials. */
  address: string;
  /** Stop accepting calls, let running ones finish (at most `timeoutMs`, default 5 s), then cut the rest. */
  close(timeoutMs?: number): Promise<void>;
}

/** The gRPC status an error will be answered with (as `unary` decides). */
function grpcCodeOf(error: unknown): number {
  if (error instanceof Error && typeof (error as grpc.ServiceError).code === 'number' && 'details' in error) return (error as grpc.ServiceError).code;
  return grpcCodeForHttp(toProtocolError(error).status);
}

/** Metadata keys passed on as HTTP headers. */
const FORWARDED_METADATA = ['authorization', 'traceparent', 'tracestate'];

interface RestAnswer {
  status: number;
  body: Record<string, unknown>;
}

export async function startGrpcServer(options: GrpcServerOptions): Promise<GrpcServerHandle> {
  const services = options.services ?? { inference: loadInferenceService(), seldon: loadSeldonService() };
  const server = new grpc.Server({ 'grpc.max_receive_message_length': options.maxMessageBytes });

  /** The REST request a call stands for, with its metadata as headers, answered by the front door. */
  const send = async (call: grpc.ServerUnaryCall<unknown, unknown>, method: 'GET' | 'POST', path: string, body?: { bytes: string | Uint8Array; headers: Record<string, string> }): Promise<Response> => {
    const headers = new Headers({ accept: 'application/json' });
    for (const key of FORWARDED_METADATA) {
      const value = call.metadata.get(key)[0];
      if (typeof value === 'string' && value !== '') headers.set(key, value);
    }
    // Where this process traces (the Knative front end), the REST request is a child of the call's span.
    injectTraceContext(headers);
    const init: RequestInit = { method, headers };
    if (body !== undefined) {
      for (const [key, value] of Object.entries(body.headers)) headers.set(key, value);
      init.body = body.bytes as string;
    }
    return options.fetch(new Request(`http://grpc.internal${path}`, init));
  };

  const rest = async (call: grpc.ServerUnaryCall<unknown, unknown>, method: 'GET' | 'POST', path: string, body?: unknown): Promise<RestAnswer> =>
    parsed(method, path, await send(call, method, path, body === undefined ? undefined : { bytes: JSON.stringify(body), headers: { 'content-type': 'application/json' } }));

  /** A REST answer's JSON body (an answer that is not JSON is an error naming the call). */
  const parsed = async (method: string, path: string, response: Response): Promise<RestAnswer> => {
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw grpcError(grpcCodeForHttp(response.status >= 400 ? response.status : 500), `${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`);
    }
    return { status: response.status, body: (parsed ?? {}) as Record<string, unknown> };
  };

  /** A REST error answer → the gRPC error with its code and the REST message. */
  const failed = (answer: RestAnswer): grpc.ServiceError => {
    const status = answer.body['status'] as { info?: unknown } | undefined;
    const message = typeof answer.body['error'] === 'string' ? answer.body['error'] : typeof status?.info === 'string' ? status.info : `HTTP ${answer.status}`;
    return grpcError(grpcCodeForHttp(answer.status), message);
  };

  const modelPath = (name: unknown, version: unknown): string => {
    if (typeof name !== 'string' || name === '') throw new ProtocolError('name: is required (the model name; this graph serves one, named after the graph)', { field: 'name' });
    const base = `/v2/models/${encodeURIComponent(name)}`;
    return typeof version === 'string' && version !== '' ? `${base}/versions/${encodeURIComponent(version)}` : base;
  };

  type Handler = (call: grpc.ServerUnaryCall<Record<string, unknown>, unknown>) => Promise<unknown>;
  /** A prediction gets a server span (as a REST prediction does); health and metadata calls stay untraced. */
  const traced =
    (service: string, method: string, handler: Handler): Handler =>
    (call) => {
      const metadata: Record<string, string> = {};
      for (const key of ['traceparent', 'tracestate']) {
        const value = call.metadata.get(key)[0];
        if (typeof value === 'string') metadata[key] = value;
      }
      return traceGrpcCall({ service, method, metadata }, () => handler(call), grpcCodeOf);
    };
  const unary =
    (handler: Handler): grpc.handleUnaryCall<Record<string, unknown>, unknown> =>
    (call, callback) => {
      const malformed = (call.request as Record<symbol, unknown> | undefined)?.[MALFORMED];
      if (typeof malformed === 'string') {
        callback(grpcError(grpc.status.INVALID_ARGUMENT, malformed));
        return;
      }
      handler(call).then(
        (reply) => callback(null, reply),
        (error: unknown) => {
          if (error instanceof Error && typeof (error as grpc.ServiceError).code === 'number' && 'details' in error) {
            callback(error as grpc.ServiceError);
            return;
          }
          const err = toProtocolError(error);
          callback(grpcError(grpcCodeForHttp(err.status), err.message));
        },
      );
    };

  /** Readiness: 200 and 503 both carry `ready`; anything else is an error. */
  const readiness = async (call: grpc.ServerUnaryCall<unknown, unknown>, path: string, key: 'live' | 'ready'): Promise<boolean> => {
    const answer = await rest(call, 'GET', path);
    if ((answer.status === 200 || answer.status === 503) && typeof answer.body[key] === 'boolean') return answer.body[key] as boolean;
    throw failed(answer);
  };

  const implementation: grpc.UntypedServiceImplementation = {
    ServerLive: unary(async (call) => ({ live: await readiness(call, '/v2/health/live', 'live') })),
    ServerReady: unary(async (call) => ({ ready: await readiness(call, '/v2/health/ready', 'ready') })),
    ModelReady: unary(async (call) => ({ ready: await readiness(call, `${modelPath(call.request['name'], call.request['version'])}/ready`, 'ready') })),
    ServerMetadata: unary(async (call) => {
      const answer = await rest(call, 'GET', '/v2');
      if (answer.status !== 200) throw failed(answer);
      return { name: answer.body['name'], version: answer.body['version'], extensions: answer.body['extensions'] ?? [] };
    }),
    ModelMetadata: unary(async (call) => {
      const answer = await rest(call, 'GET', modelPath(call.request['name'], call.request['version']));
      if (answer.status !== 200) throw failed(answer);
      return answer.body;
    }),
    ModelInfer: unary(
      traced(INFERENCE_SERVICE, 'ModelInfer', async (call) => {
        const request = modelInferToRest(call.request as ModelInferRequestMessage);
        const path = `${modelPath(request.model, request.version)}/infer`;
        if (request.raw) {
          // Raw tensors stay bytes both ways: the binary tensor data extension (binary-rest.ts).
          const body = binaryInferBody(request.body, (call.request as ModelInferRequestMessage).raw_input_contents ?? []);
          const response = await send(call, 'POST', path, { bytes: body.bytes, headers: { 'content-type': 'application/octet-stream', [INFERENCE_HEADER_CONTENT_LENGTH]: String(body.headerLength) } });
          const headerLength = binaryHeaderLength(response.headers);
          if (response.status === 200 && headerLength !== undefined) return binaryInferAnswer(new Uint8Array(await response.arrayBuffer()), headerLength);
          const answer = await parsed('POST', path, response);
          if (answer.status !== 200) throw failed(answer);
          return restToModelInfer(answer.body as unknown as InferenceResponse, true);
        }
        const answer = await rest(call, 'POST', path, request.body);
        if (answer.status !== 200) throw failed(answer);
        return restToModelInfer(answer.body as unknown as InferenceResponse, request.raw);
      }),
    ),
  };
  server.addService(guardDeserialize(services.inference.service), implementation);

  /** A Seldon message or feedback through the REST path, answered as a SeldonMessage. */
  const seldonCall = (method: string, path: string, toJson: (request: Record<string, unknown>) => unknown) =>
    unary(
      traced(SELDON_SERVICE, method, async (call) => {
        const answer = await rest(call, 'POST', path, toJson(call.request));
        if (answer.status !== 200) throw failed(answer);
        return seldonMessageToProto(answer.body as SeldonMessage);
      }),
    );
  /** GET a JSON answer that must be a 200. */
  const got = async (call: grpc.ServerUnaryCall<unknown, unknown>, path: string): Promise<Record<string, any>> => {
    const answer = await rest(call, 'GET', path);
    if (answer.status !== 200) throw failed(answer);
    return answer.body;
  };
  const nodeMetadata = async (call: grpc.ServerUnaryCall<unknown, unknown>, name: string) => seldonModelMetadataToProto(await got(call, `/api/v1.0/metadata/${encodeURIComponent(name)}`));
  server.addService(guardDeserialize(services.seldon.service), {
    Predict: seldonCall('Predict', '/api/v1.0/predictions', (request) => seldonMessageFromProto(request)),
    SendFeedback: seldonCall('SendFeedback', '/api/v1.0/feedback', (request) => feedbackFromProto(request)),
    // One node's metadata; the graph's: every node's, and the graph's input and output tensors (its V2 metadata).
    ModelMetadata: unary(async (call) => {
      const name = call.request['name'];
      if (typeof name !== 'string' || name === '') throw new ProtocolError('name: is required (a node of the graph)', { field: 'name' });
      return nodeMetadata(call, name);
    }),
    GraphMetadata: unary(async (call) => {
      const graph = await got(call, '/api/v1.0/metadata');
      const names = ((graph.nodes ?? []) as Array<{ name: string }>).map((node) => node.name);
      const [tensors, ...models] = await Promise.all([got(call, `/v2/models/${encodeURIComponent(String(graph.name))}`), ...names.map((name) => nodeMetadata(call, name))]);
      const own = seldonModelMetadataToProto(tensors);
      return { name: graph.name, models: Object.fromEntries(names.map((name, i) => [name, models[i]])), inputs: own.inputs, outputs: own.outputs };
    }),
  });

  const host = options.host.includes(':') && !options.host.startsWith('[') ? `[${options.host}]` : options.host;
  // grpc-js writes its own errors to stderr ("E No address added out of total 1 resolved") before handing
  // them to the callback, which turns them into one message that says what to do. Quiet it, unless the user
  // asked for its logs with GRPC_VERBOSITY.
  if (process.env['GRPC_VERBOSITY'] === undefined) grpc.setLogVerbosity(grpc.logVerbosity.NONE);
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${host}:${options.port}`, grpc.ServerCredentials.createInsecure(), (error, bound) => {
      if (error) {
        reject(
          /address already in use|EADDRINUSE/i.test(error.message)
            ? new Error(`gRPC port ${options.port} on ${options.host} is already in use: stop what uses it or pass --grpc-port with another number (0: any free port)`)
            : error,
        );
      } else {
        resolve(bound);
      }
    });
  });

  let closing: Promise<void> | undefined;
  return {
    port,
    address: `${host}:${port}`,
    close(timeoutMs = 5000) {
      closing ??= new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, timeoutMs);
        timer.unref();
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      return closing;
    },
  };
}

const MALFORMED = Symbol('malformed request');

/**
 * The service with request decoding that cannot throw: bytes that are not the method's protobuf message
 * become a marker the handler answers with INVALID_ARGUMENT (grpc-js would answer INTERNAL).
 */
function guardDeserialize(service: grpc.ServiceDefinition): grpc.ServiceDefinition {
  const guarded: Record<string, grpc.MethodDefinition<unknown, unknown>> = {};
  for (const [name, method] of Object.entries(service)) {
    const type = (method as { requestType?: { type?: { name?: string } } }).requestType?.type?.name ?? `${method.path.split('/').pop() ?? name}Request`;
    guarded[name] = {
      ...method,
      requestDeserialize: (bytes: Buffer) => {
        try {
          return method.requestDeserialize(bytes);
        } catch (error) {
          return { [MALFORMED]: `the request is not a valid ${type} protobuf message: ${(error as Error).message}` };
        }
      },
    };
  }
  return guarded as grpc.ServiceDefinition;
}
