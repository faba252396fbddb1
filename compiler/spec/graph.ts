/**
 * @module The graph file: `apiVersion: switchyard.dev/v1alpha1`, `kind: InferenceGraph`, `metadata` and `spec`
 * (root, nodes, defaults, state, tracing, orchestrator, grpc, logger, activation, fusion).
 */
import { z } from 'zod';
import { CanarySchema } from './canary.ts';
import { DeviceSchema } from './device.ts';
import { LoggerSchema } from './logger.ts';
import { durationSchema } from './duration.ts';
import { MetadataSchema } from './metadata.ts';
import { MAX_TIMEOUT_MS, NodeSchema } from './node.ts';
import { ResourcesSchema } from './resources.ts';
import { ScalingSchema } from './scaling.ts';
import { StateSchema } from './state.ts';

export const GRAPH_API_VERSION = 'switchyard.dev/v1alpha1' as const;
export const GRAPH_KIND = 'InferenceGraph' as const;

export const DefaultsSchema = z
  .strictObject({
    scaling: ScalingSchema.optional(),
    device: DeviceSchema.optional(),
    resources: ResourcesSchema.optional(),
    canary: CanarySchema.optional(),
    timeout: durationSchema({
      minMs: 0,
      exclusiveMin: true,
      maxMs: MAX_TIMEOUT_MS,
      description: 'Default per-node call timeout (default 10s).',
      examples: ['10s'],
    }).optional(),
  })
  .meta({ description: 'Settings every node function gets unless the node sets its own.' });

export const TracingSchema = z
  .strictObject({
    samplingRatio: z
      .number()
      .min(0)
      .max(1)
      .meta({ description: 'Fraction of requests traced, 0 to 1 (default 1).', examples: [0.25] })
      .optional(),
  })
  .meta({ description: 'OpenTelemetry tracing.' });

export const OrchestratorSchema = z
  .strictObject({
    scaling: ScalingSchema.optional(),
    resources: ResourcesSchema.optional(),
    canary: CanarySchema.optional(),
  })
  .meta({ description: 'The orchestrator function, which walks the graph and runs built-in routers and combiners.' });

export const GrpcSchema = z
  .strictObject({
    enabled: z
      .boolean()
      .meta({ description: 'Render the <graph>-grpc Knative Service, the gRPC front end (default true). switchyard up serves gRPC either way.' })
      .optional(),
  })
  .meta({ description: 'The Open Inference Protocol over gRPC on Kubernetes.' });

export const GraphSpecSchema = z
  .strictObject({
    root: z.string().min(1).meta({ description: 'The node that receives each request.', examples: ['features'] }),
    nodes: z
      .record(z.string(), NodeSchema)
      .meta({ description: 'The nodes, by name (lowercase letters, digits and "-").' }),
    defaults: DefaultsSchema.optional(),
    state: StateSchema.optional(),
    tracing: TracingSchema.optional(),
    orchestrator: OrchestratorSchema.optional(),
    grpc: GrpcSchema.optional(),
    logger: LoggerSchema.optional(),
    activation: z
      .enum(['graph', 'cascade'])
      .meta({
        description:
          "graph (default): a request that comes after the graph has been idle long enough for its functions to scale to zero wakes all of them at once, so their cold starts overlap instead of adding up along the graph's edges; cascade: each function starts only when a request reaches it (no function is woken that the request does not need).",
      })
      .optional(),
    fusion: z
      .enum(['auto', 'off'])
      .meta({
        description:
          'auto: nodes next to the orchestrator (the root, or children of built-in routers and combiners) on CPU with the same scaling as the orchestrator run inside it, removing a network hop; off (default): one function per node.',
      })
      .optional(),
  })
  .meta({ description: 'The graph: its root, nodes and graph-wide settings.' });

export const InferenceGraphSchema = z
  .strictObject({
    apiVersion: z.literal(GRAPH_API_VERSION).meta({ description: 'Always switchyard.dev/v1alpha1.' }),
    kind: z.literal(GRAPH_KIND).meta({ description: 'Always InferenceGraph.' }),
    metadata: MetadataSchema,
    spec: GraphSpecSchema,
  })
  .meta({
    title: 'Switchyard InferenceGraph',
    description: 'An ML inference graph (Seldon Core style) that switchyard compiles into serverless functions.',
  });

/** A graph file once its shape is valid (durations in ms, quantities as strings). */
export type InferenceGraph = z.output<typeof InferenceGraphSchema>;
export type GraphSpec = InferenceGraph['spec'];
export type DefaultsSpec = z.output<typeof DefaultsSchema>;
export type OrchestratorSpec = z.output<typeof OrchestratorSchema>;
export type TracingSpec = z.output<typeof TracingSchema>;
