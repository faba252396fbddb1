/** @module The registry of node kinds, keyed by Seldon node type. */
import type { NodeType } from '../plan/types.ts';
import type { NodeKind } from './node-kind.ts';

export const NODE_KINDS: Record<NodeType, NodeKind> = {
  MODEL: { type: 'MODEL', inputPath: '/predict', fanOut: 'chain' },
  TRANSFORMER: { type: 'TRANSFORMER', inputPath: '/transform-input', fanOut: 'chain' },
  OUTPUT_TRANSFORMER: { type: 'OUTPUT_TRANSFORMER', fanOut: 'chain', outputPath: '/transform-output' },
  ROUTER: { type: 'ROUTER', fanOut: 'route' },
  // Its /aggregate is the fan-out's last step (walker.ts `aggregate`), not a call after it.
  COMBINER: { type: 'COMBINER', fanOut: 'all' },
};
