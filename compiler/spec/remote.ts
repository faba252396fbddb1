/**
 * @module The `remote` implementation: a model server that already runs elsewhere — a Seldon Core microservice, a
 * KServe InferenceService, Triton, MLServer — called by the orchestrator as one node of the graph, with the graph's
 * routing, feedback, tracing, payload logging and shadows around it.
 */
import { z } from 'zod';

export const REMOTE_PROTOCOLS = ['seldon', 'seldon-grpc', 'seldon-deployment', 'v2', 'grpc-v2', 'kserve-v1'] as const;
export const REMOTE_DATATYPES = ['FP32', 'FP64', 'INT32', 'INT64'] as const;

export const RemoteSchema = z
  .strictObject({
    url: z
      .string()
      .regex(/^https?:\/\/[^\s/?#]+[^\s?#]*$/, { error: 'expected the base URL of a model server (http:// or https://, no query)' })
      .meta({ description: 'The base URL of the server; the node\'s paths are added to it.', examples: ['http://sklearn-iris.models.svc.cluster.local'] }),
    protocol: z
      .enum(REMOTE_PROTOCOLS)
      .meta({
        description:
          "seldon (default): Seldon's component paths (/predict, /transform-input, /route, /aggregate, …), as Seldon Core's executor calls them; seldon-grpc: the same over gRPC, a unit whose Seldon endpoint is GRPC (seldon.protos.Model/Predict, Transformer/TransformInput, Router/Route, Combiner/Aggregate, …; the url is http://host[:port], port 80 by default, or https:// for TLS, with no path); seldon-deployment: a whole graph's /api/v1.0/predictions (a SeldonDeployment's, or another Switchyard graph's); v2: the Open Inference Protocol (KServe, Triton, MLServer); grpc-v2: the same over gRPC (inference.GRPCInferenceService/ModelInfer; the url is http://host[:port] for cleartext HTTP/2, port 80 by default, or https:// for TLS, with no path); kserve-v1: KServe's V1 protocol (/v1/models/<model>:predict with instances). All but seldon and seldon-grpc serve MODEL nodes only.",
        examples: ['v2'],
      })
      .optional(),
    model: z.string().min(1).meta({ description: 'v2, grpc-v2 and kserve-v1: the model name in /v2/models/<model>/infer, ModelInfer or /v1/models/<model>:predict (default: the node name).', examples: ['sklearn-iris'] }).optional(),
    inputName: z.string().min(1).meta({ description: 'v2 and grpc-v2: the name of the input tensor (default: input-0).', examples: ['input-0'] }).optional(),
    outputName: z.string().min(1).meta({ description: "v2 and grpc-v2: the output to answer with, asked for by name (default: the server's first output).", examples: ['probabilities'] }).optional(),
    datatype: z.enum(REMOTE_DATATYPES).meta({ description: 'v2 and grpc-v2: the datatype numbers are sent as (default: FP32).', examples: ['FP32'] }).optional(),
  })
  .superRefine((remote, ctx) => {
    // gRPC methods have fixed paths: a path on the URL would be silently ignored, so it is refused.
    if ((remote.protocol !== 'grpc-v2' && remote.protocol !== 'seldon-grpc') || !URL.canParse(remote.url)) return;
    const path = new URL(remote.url).pathname;
    if (path !== '/' && path !== '') {
      ctx.addIssue({
        code: 'custom',
        input: remote.url,
        path: ['url'],
        message: `a gRPC server is addressed by host and port only (its methods have fixed paths); remove "${path}" and write http://host[:port]`,
      });
    }
  })
  .meta({
    description: 'A model server that runs elsewhere, called by the orchestrator (no function is built for it).',
    examples: [{ url: 'http://sklearn-iris.models.svc.cluster.local', protocol: 'v2', model: 'sklearn-iris' }],
  });

export type RemoteSpec = z.output<typeof RemoteSchema>;
