/**
 * @module Calls nodes fused into the orchestrator in-process, and every other node over HTTP.
 *
 * A fused node answers the same Seldon paths with the same handlers its own function would serve, so the
 * walker cannot tell the difference — except that no request leaves the process. Its errors become
 * `NodeCallError`s naming the node, exactly as an HTTP call's would, and each call gets its own span.
 */
import type { LoadedNode, NodeHandlers } from '../host/types.ts';
import { toProtocolError } from '../protocol/errors.ts';
import { withJsonSafeValues } from '../protocol/packed-body.ts';
import type { SeldonFeedback, SeldonMessage, SeldonMessageList } from '../protocol/seldon-types.ts';
import { NodeCallError } from './errors.ts';
import type { NodeClient } from './node-client.ts';
import { traceNodeCall } from '../tracing/node-call.ts';

type Handler = (body: unknown) => Promise<SeldonMessage>;

function handlerFor(handlers: NodeHandlers, path: string): Handler | undefined {
  const bind = <T>(fn: ((body: T) => Promise<SeldonMessage>) | undefined): Handler | undefined =>
    fn === undefined ? undefined : (body) => fn.call(handlers, body as T);
  switch (path) {
    case '/predict':
      return bind<SeldonMessage>(handlers.predict);
    case '/transform-input':
      return bind<SeldonMessage>(handlers.transformInput);
    case '/transform-output':
      return bind<SeldonMessage>(handlers.transformOutput);
    case '/route':
      return bind<SeldonMessage>(handlers.route);
    case '/aggregate':
      return bind<SeldonMessageList>(handlers.aggregate);
    case '/send-feedback':
      return bind<SeldonFeedback>(handlers.sendFeedback);
    default:
      return undefined;
  }
}

export function createFusedClient(local: ReadonlyMap<string, LoadedNode>, remote: NodeClient): NodeClient {
  return {
    async call(node, path, body, context) {
      const loaded = local.get(node.name);
      if (loaded === undefined) return remote.call(node, path, body, context);
      const handler = handlerFor(loaded.handlers, path);
      if (handler === undefined) {
        throw new NodeCallError({
          status: 404, node: node.name, function: node.function, reason: 'not_implemented',
          message: `node "${node.name}" (fused into the orchestrator) does not serve ${path}`,
        });
      }
      const target = { node: node.name, type: node.type, function: node.function, path, url: `in-process:${node.function}${path}` };
      try {
        // A user's component gets a copy, as over HTTP (it may change what it is given); the ONNX model server
        // only reads its input, and the walker hands every call a fresh message (so no copy: 6 % of the CPU).
        // Typed-array values a component returns are made JSON-safe.
        const input = node.implementation.kind === 'onnx' ? body : structuredClone(body);
        return withJsonSafeValues(await traceNodeCall(target, () => handler(input)));
      } catch (error) {
        const err = toProtocolError(error, node.name);
        throw new NodeCallError({
          status: err.status, node: node.name, function: node.function, reason: err.reason, message: err.message,
          ...(err.field === undefined ? {} : { field: err.field }),
          cause: error,
        });
      }
    },
  };
}
