/**
 * @module One node of the graph (`spec.nodes.<name>`): its Seldon type, children, its one implementation
 * (`onnx`, `component`, `router`, `combiner` or `remote`) and where and how its function runs.
 *
 * Rules that span several fields (exactly one implementation, router parameters, …) are checked by
 * compiler/validate, so that every problem is reported even when the shape is wrong too.
 */
import { z } from 'zod';
import { CanarySchema } from './canary.ts';
import { LoggerSchema } from './logger.ts';
import { RemoteSchema } from './remote.ts';
import { DeviceSchema } from './device.ts';
import { SECOND_MS, durationSchema } from './duration.ts';
import { ResourcesSchema } from './resources.ts';
import { COMBINER_VALUES, ROUTER_VALUES } from './router-parameters.ts';
import { ScalingSchema } from './scaling.ts';

export const NODE_TYPE_VALUES = ['MODEL', 'TRANSFORMER', 'OUTPUT_TRANSFORMER', 'ROUTER', 'COMBINER'] as const;
export type NodeTypeName = (typeof NODE_TYPE_VALUES)[number];
/** The keys that name a node's implementation; a node has exactly one. */
export const IMPLEMENTATION_KEYS = ['onnx', 'component', 'router', 'combiner', 'remote'] as const;
export const GRAPH_OPTIMIZATION_LEVELS = ['disabled', 'basic', 'extended', 'all'] as const;
/** A file's SHA-256 as `sha256sum` prints it (either case). */
export const SHA256_PATTERN = /^[0-9a-fA-F]{64}$/;
/** Most rows one batched run takes. */
export const MAX_BATCH_SIZE = 4096;
/** Longest per-call timeout: Knative's default max-revision-timeout-seconds. */
export const MAX_TIMEOUT_MS = 600 * SECOND_MS;

const threads = (description: string) =>
  z.number().int().min(0).max(1024).meta({ description, examples: [1] }).optional();

export const OnnxSchema = z
  .strictObject({
    path: z
      .string()
      .min(1)
      .meta({
        description:
          'The .onnx file, relative to the graph file; or its URL, downloaded when the graph is built and cached (as KServe\'s storageUri names a model): http(s)://, gs://bucket/key (public objects) or s3://bucket/key (AWS_ENDPOINT_URL or S3_ENDPOINT for MinIO and other S3-compatible stores; signed with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY when they are set, else fetched as a public object). On Kubernetes only, pvc://<claim>/<path>: a model on a PersistentVolumeClaim, read in place by the pod.',
        examples: ['./models/classifier.onnx', 'https://models.example.com/iris/v3/model.onnx', 'gs://my-models/iris/model.onnx', 'pvc://team-models/iris/model.onnx'],
      }),
    sha256: z
      .string()
      .regex(SHA256_PATTERN, { error: 'expected the file\'s SHA-256 as 64 hexadecimal digits (sha256sum model.onnx)' })
      .meta({ description: 'The model file\'s SHA-256: checked when the graph is built, so a changed file is an error rather than a different model.', examples: ['9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'] })
      .optional(),
    credentialsSecret: z
      .string()
      .max(253)
      .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, { error: 'expected the name of a Kubernetes Secret (lowercase letters, digits, "-" and ".")' })
      .meta({
        description:
          "On Kubernetes, a Secret in the graph's namespace whose keys (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION) the pod's fetch-models init container gets as its environment, to sign its request for an s3:// model (as Seldon's envSecretRefName and KServe's S3 secrets do). Switchyard does not create it.",
        examples: ['models-s3'],
      })
      .optional(),
    inputNames: z.array(z.string().min(1)).meta({ description: 'Input tensors to feed (default: read from the model).' }).optional(),
    outputNames: z.array(z.string().min(1)).meta({ description: 'Output tensors to return (default: read from the model).' }).optional(),
    classNames: z
      .array(z.string())
      .meta({ description: 'Names of the output classes, returned as Seldon `data.names`.', examples: [['setosa', 'versicolor', 'virginica']] })
      .optional(),
    session: z
      .strictObject({
        graphOptimizationLevel: z
          .enum(GRAPH_OPTIMIZATION_LEVELS)
          .meta({ description: 'onnxruntime graph optimisation level (default: all).', examples: ['all'] })
          .optional(),
        intraOpNumThreads: threads('Threads inside one operator; 0 lets onnxruntime decide.'),
        interOpNumThreads: threads('Threads across operators; 0 lets onnxruntime decide.'),
      })
      .meta({ description: 'onnxruntime session options.' })
      .optional(),
    batcher: z
      .strictObject({
        maxBatchSize: z
          .number()
          .int()
          .min(2)
          .max(MAX_BATCH_SIZE)
          .meta({ description: 'Most rows run at once (default 32): requests are joined along the first dimension until they reach it.', examples: [32] })
          .optional(),
        maxLatency: durationSchema({
          minMs: 0,
          maxMs: 10 * SECOND_MS,
          description:
            "Longest a request waits for others to join its batch, even alone (KServe's maxLatency). 0 (the default): never wait for a fuller batch; a request that finds the model idle runs at once, and those that arrive while it runs are run together after it (Triton's dynamic batching without a queue delay).",
          examples: ['0s', '5ms'],
        }).optional(),
      })
      .meta({
        description:
          "Run concurrent requests as one batch (KServe's batcher): their rows are joined along the model's first dimension, which must be dynamic, run once, and split back.",
        examples: [{ maxBatchSize: 32 }, { maxBatchSize: 32, maxLatency: '5ms' }],
      })
      .optional(),
  })
  .superRefine((onnx, ctx) => {
    // The Secret only signs S3 requests: anywhere else it would be mounted and never used.
    if (onnx.credentialsSecret !== undefined && !/^s3:\/\//i.test(onnx.path)) {
      ctx.addIssue({
        code: 'custom',
        input: onnx.credentialsSecret,
        path: ['credentialsSecret'],
        message: `credentialsSecret signs the pod's request for an s3:// model, and this model's path is ${JSON.stringify(onnx.path)}: remove it, or name the model by its s3://bucket/key`,
      });
    }
  })
  .meta({ description: 'An ONNX model served by onnxruntime.' });

const modulePath = z
  .string()
  .min(1)
  .meta({ description: 'A TypeScript or JavaScript module, relative to the graph file.', examples: ['./components/features.ts'] });

export const ComponentSchema = z
  .union([modulePath, z.strictObject({ module: modulePath })])
  .meta({
    description: 'A user module exporting the methods the node type needs (predict, transformInput, …).',
    examples: ['./components/my-model.ts'],
  });

export const NodeSchema = z
  .strictObject({
    type: z.enum(NODE_TYPE_VALUES).meta({ description: "The node's Seldon Core type.", examples: ['MODEL'] }),
    children: z
      .array(z.string().min(1))
      .meta({ description: 'Names of the child nodes, in order (a router picks one by index).', examples: [['model-a', 'model-b']] })
      .optional(),
    onnx: OnnxSchema.optional(),
    component: ComponentSchema.optional(),
    router: z.enum(ROUTER_VALUES).meta({ description: 'A built-in router, run by the orchestrator.', examples: ['epsilon-greedy'] }).optional(),
    combiner: z.enum(COMBINER_VALUES).meta({ description: 'A built-in combiner, run by the orchestrator.', examples: ['mean'] }).optional(),
    remote: RemoteSchema.optional(),
    shadow: z
      .union([z.string().min(1), z.array(z.string().min(1))])
      .meta({
        description:
          'Nodes that get a copy of every input this node gets, in the background: their answers are traced, logged and counted but never reach the client (Seldon\'s shadow). Each must have no other parent.',
        examples: ['candidate-model'],
      })
      .optional(),
    parameters: z
      .record(z.string(), z.unknown())
      .meta({ description: "Router parameters, or a component's `init` parameters.", examples: [{ epsilon: 0.2 }] })
      .optional(),
    device: DeviceSchema.optional(),
    resources: ResourcesSchema.optional(),
    scaling: ScalingSchema.optional(),
    canary: CanarySchema.optional(),
    logger: LoggerSchema.optional(),
    timeout: durationSchema({
      minMs: 0,
      exclusiveMin: true,
      maxMs: MAX_TIMEOUT_MS,
      description: 'How long the orchestrator waits for this node (default 10s).',
      examples: ['10s'],
    }).optional(),
  })
  .meta({ description: 'A node of the graph.' });

export type NodeSpec = z.output<typeof NodeSchema>;
export type OnnxSpec = z.output<typeof OnnxSchema>;
export type ComponentSpec = z.output<typeof ComponentSchema>;
