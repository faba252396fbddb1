/**
 * @module The Open Inference Protocol (V2) on a function: server live/ready/metadata, and for the node's model
 * (named after the node, or after the function) its metadata, readiness and `infer`, each also under
 * `/versions/{v}`. `infer` converts V2 → Seldon, calls the node's primary handler (predict, else
 * transformInput, else transformOutput) and converts the answer back.
 */
import type { Context, Hono } from 'hono';
import { ProtocolError, REASONS } from '../protocol/errors.ts';
import { isDatatype } from '../protocol/v2-datatypes.ts';
import { parseInferenceRequest } from '../protocol/v2-request.ts';
import { buildModelMetadata } from '../protocol/v2-response.ts';
import { inferenceRequestToSeldon, seldonToInferenceResponse } from '../protocol/v2-seldon.ts';
import type { SeldonMessage } from '../protocol/seldon-types.ts';
import { inferenceHttpResponse, readInferenceBody } from './v2-io.ts';
import type { Lifecycle } from './lifecycle.ts';
import type { LoadedNode, NodeHandlers } from './types.ts';

/** The host's version, reported by `GET /v2`. */
export const HOST_VERSION = '0.1.0';

export interface V2Deps {
  name: string;
  lifecycle: Lifecycle;
  bodyLimitBytes: number;
  isHealthy(): Promise<boolean>;
}

/** The handler V2 `infer` calls: predict, else transformInput, else transformOutput. */
export function primaryHandler(handlers: NodeHandlers): ((message: SeldonMessage) => Promise<SeldonMessage>) | undefined {
  const fn = handlers.predict ?? handlers.transformInput ?? handlers.transformOutput;
  return fn === undefined ? undefined : (message) => fn.call(handlers, message);
}

export function registerV2Routes(app: Hono, deps: V2Deps): void {
  const { name, lifecycle, bodyLimitBytes } = deps;

  app.get('/v2', (c) => c.json({ name, version: HOST_VERSION, extensions: ['binary_tensor_data'] }));
  app.get('/v2/health/live', (c) => c.json({ live: true }));
  app.get('/v2/health/ready', async (c) => {
    const ready = await deps.isHealthy();
    return c.json({ ready }, ready ? 200 : 503);
  });

  const modelNode = (c: Context): LoadedNode => {
    const node = lifecycle.requireNode();
    const model = c.req.param('name') ?? '';
    if (model !== node.name && model !== name) {
      throw new ProtocolError(`model "${model}" is not served here; this function serves model "${node.name}"`, {
        status: 404,
        reason: REASONS.notFound,
      });
    }
    return node;
  };

  const checkVersion = async (c: Context, node: LoadedNode): Promise<string | undefined> => {
    const version = c.req.param('version');
    if (version === undefined) return undefined;
    const versions = (await node.handlers.metadata()).versions ?? [];
    if (versions.length > 0 && !versions.includes(version)) {
      throw new ProtocolError(`model "${node.name}" has no version "${version}"; available: ${versions.join(', ')}`, {
        status: 404,
        reason: REASONS.notFound,
      });
    }
    return version;
  };

  for (const prefix of ['/v2/models/:name', '/v2/models/:name/versions/:version']) {
    app.get(prefix, async (c) => {
      const node = modelNode(c);
      await checkVersion(c, node);
      const meta = await node.handlers.metadata();
      return c.json(
        buildModelMetadata({ name: meta.name, platform: meta.platform, versions: meta.versions, inputs: meta.inputs, outputs: meta.outputs }),
      );
    });

    app.get(`${prefix}/ready`, async (c) => {
      if (lifecycle.loadedNode() === undefined) return c.json({ name: c.req.param('name'), ready: false }, 503);
      const node = modelNode(c);
      await checkVersion(c, node);
      const ready = await deps.isHealthy();
      return c.json({ name: node.name, ready }, ready ? 200 : 503);
    });

    app.post(`${prefix}/infer`, async (c) => {
      const leave = lifecycle.enter();
      try {
        const node = modelNode(c);
        const handler = primaryHandler(node.handlers);
        if (handler === undefined) {
          throw new ProtocolError(`infer is not available: this node has no predict, transformInput or transformOutput handler`, {
            status: 404,
            reason: REASONS.notImplemented,
          });
        }
        const version = await checkVersion(c, node);
        const json = await readInferenceBody(c.req.raw, bodyLimitBytes, 'POST /v2/models/{name}/infer');
        const request = parseInferenceRequest(json);
        const { message, input } = inferenceRequestToSeldon(request);
        const answer = await handler(message);
        // The node answers its first declared output (an ONNX model's first output; a component's, if it declares any).
        const served = (await node.handlers.metadata()).outputs[0];
        const response = seldonToInferenceResponse(answer, {
          modelName: node.name,
          modelVersion: version,
          id: request.id,
          outputs: request.outputs,
          input,
          datatype: served !== undefined && isDatatype(served.datatype) && served.datatype !== 'BYTES' ? served.datatype : undefined,
          outputName: served?.name,
          knownOutputs: served === undefined ? undefined : [served.name],
        });
        return inferenceHttpResponse(response, request);
      } finally {
        leave();
      }
    });
  }
}
