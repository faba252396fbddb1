/**
 * @module Entry of the gRPC front end that runs as its own Knative Service, `<graph>-grpc`: it serves
 * `inference.GRPCInferenceService` and `seldon.protos.Seldon` on `PORT` over cleartext HTTP/2 (the container's one port is named `h2c`) and
 * turns each call into the REST request it stands for, sent to the orchestrator at `SWITCHYARD_ORCHESTRATOR_URL`
 * (its in-cluster URL, rendered by the compiler).
 *
 * Not a plan function: the local engine serves gRPC from its gateway process and never starts this. The .proto
 * files travel inside the bundle (esbuild's text loader), since no file sits next to it in the container.
 *
 * Each ModelInfer call is a server span (service `grpc`) whose child is the orchestrator's, exported like every
 * function's spans (runtime/tracing/config.ts).
 *
 * Like functions/adapter.ts for HTTP functions, it tells a parent process (over IPC, when there is one) the port it
 * listens on, and on SIGTERM stops taking calls, lets running ones finish (bounded) and exits.
 */
import protoText from '../../runtime/grpc/proto/open_inference_grpc.proto';
import seldonPrediction from '../../runtime/grpc/proto/seldon-core/prediction.proto';
import tfTensor from '../../runtime/grpc/proto/seldon-core/tensorflow/core/framework/tensor.proto';
import tfResourceHandle from '../../runtime/grpc/proto/seldon-core/tensorflow/core/framework/resource_handle.proto';
import tfTensorShape from '../../runtime/grpc/proto/seldon-core/tensorflow/core/framework/tensor_shape.proto';
import tfTypes from '../../runtime/grpc/proto/seldon-core/tensorflow/core/framework/types.proto';
import { SELDON_SERVICE } from '../../runtime/grpc/load-proto.ts';
import { forwardingFetch } from '../../runtime/grpc/forward-fetch.ts';
import { inferenceServiceFromProtoText, serviceFromProtoTexts } from '../../runtime/grpc/proto-text.ts';
import { startGrpcServer } from '../../runtime/grpc/server.ts';
import { createLogger } from '../../runtime/log.ts';
import { DEFAULT_BODY_LIMIT_BYTES } from '../../runtime/host/_body.ts';
import { tracingSettings } from '../../runtime/tracing/config.ts';
import { startTracing } from '../../runtime/tracing/sdk.ts';

declare const SWITCHYARD_GRPC_CONFIG: { graph: string; samplingRatio: number };

const DRAIN_TIMEOUT_MS = 20_000;
const TRACING_SHUTDOWN_MS = 2_000;
const log = createLogger('grpc');

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`environment variable ${name} is required (the orchestrator's REST URL, e.g. http://seed-orchestrator.switchyard.svc.cluster.local)`);
  return value;
}

const orchestratorUrl = required('SWITCHYARD_ORCHESTRATOR_URL');
const port = Number(process.env.PORT ?? 8080);
if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`environment variable PORT must be a port number (0 to 65535); received "${process.env.PORT}"`);
const host = process.env.HOST ?? '0.0.0.0';
// The largest request message: the REST body limit (SWITCHYARD_MAX_BODY_BYTES, as functions/adapter.ts reads it).
const rawLimit = process.env.SWITCHYARD_MAX_BODY_BYTES;
const maxMessageBytes = rawLimit === undefined || rawLimit === '' ? DEFAULT_BODY_LIMIT_BYTES : Number(rawLimit);
if (!Number.isSafeInteger(maxMessageBytes) || maxMessageBytes <= 0) throw new Error(`environment variable SWITCHYARD_MAX_BODY_BYTES must be a positive number of bytes; received "${rawLimit}"`);

// Each ModelInfer call is a server span (service "grpc"), parent of the orchestrator's: the same settings as
// every function (OTEL_* and SWITCHYARD_TRACE_SAMPLING, the plan's sampling ratio by default).
const { settings, warnings } = tracingSettings({ service: 'grpc', graph: SWITCHYARD_GRPC_CONFIG.graph, env: process.env, samplingRatio: SWITCHYARD_GRPC_CONFIG.samplingRatio });
for (const warning of warnings) log.warn(`tracing: ${warning}`);
const tracing = startTracing(settings, { log });

const server = await startGrpcServer({
  port,
  host,
  fetch: forwardingFetch(orchestratorUrl),
  maxMessageBytes,
  services: {
    inference: inferenceServiceFromProtoText(protoText),
    seldon: serviceFromProtoTexts([seldonPrediction, tfTensor, tfResourceHandle, tfTensorShape, tfTypes], SELDON_SERVICE),
  },
});
log.info(`graph "${SWITCHYARD_GRPC_CONFIG.graph}": gRPC on ${server.address}, forwarding to ${orchestratorUrl}`);
process.send?.({ type: 'listening', port: server.port });
process.send?.({ type: 'ready', port: server.port });

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await server.close(DRAIN_TIMEOUT_MS);
  await tracing.shutdown(TRACING_SHUTDOWN_MS);
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
process.on('disconnect', () => void stop());
