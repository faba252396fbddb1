/** Shared test data: a small valid graph as plain data, and the fixture directory. */
import { fileURLToPath } from 'node:url';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/graphs/', import.meta.url));
export const SEED_GRAPH = fileURLToPath(new URL('../../../examples/seed/graph.yaml', import.meta.url));

export type Graph = {
  apiVersion: string;
  kind: string;
  metadata: Record<string, unknown>;
  spec: { root?: string; nodes: Record<string, Record<string, unknown>>; [key: string]: unknown };
};

/** A valid graph whose files are under FIXTURES: transformer → epsilon-greedy router → two ONNX models. */
export function baseGraph(): Graph {
  return {
    apiVersion: 'switchyard.dev/v1alpha1',
    kind: 'InferenceGraph',
    metadata: { name: 'demo' },
    spec: {
      root: 'features',
      nodes: {
        features: { type: 'TRANSFORMER', component: './full/components/features.ts', children: ['bandit'] },
        bandit: { type: 'ROUTER', router: 'epsilon-greedy', children: ['model-a', 'model-b'] },
        'model-a': { type: 'MODEL', onnx: { path: './full/models/a.onnx' } },
        'model-b': { type: 'MODEL', onnx: { path: './full/models/b.onnx' } },
      },
    },
  };
}

/** The graph with `change` applied to a fresh copy. */
export function graphWith(change: (graph: Graph) => void): Graph {
  const graph = baseGraph();
  change(graph);
  return graph;
}
