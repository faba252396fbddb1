/**
 * @module What the orchestrator needs to know about a node type, declared by the type itself.
 *
 * The graph walker never branches on `node.type`: it asks the node's kind which Seldon path to call before
 * the children (`inputPath`), how to fan out to the children (`fanOut`) and which path to call after them
 * (`outputPath`). This is Seldon Core's executor semantics:
 * - MODEL: /predict, then (rarely) its one child gets the prediction;
 * - TRANSFORMER: /transform-input, then its child gets the transformed message;
 * - OUTPUT_TRANSFORMER: its child first, then /transform-output on what the child returned;
 * - ROUTER: /route picks exactly one child;
 * - COMBINER: every child in parallel, then /aggregate.
 */
import type { NodeType } from '../plan/types.ts';

export type SeldonPath = '/predict' | '/transform-input' | '/transform-output' | '/route' | '/aggregate';

export interface NodeKind {
  type: NodeType;
  /** Called with the incoming message before the children. */
  inputPath?: SeldonPath;
  /** `chain`: the one child (if any) gets the message; `route`: one child chosen; `all`: every child, their answers aggregated (/aggregate once, or a built-in combiner). */
  fanOut: 'chain' | 'route' | 'all';
  /** Called with the children's result after them. */
  outputPath?: SeldonPath;
}
