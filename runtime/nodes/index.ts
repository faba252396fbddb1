/** @module Node kinds: how each Seldon node type takes part in a graph walk. */
export type { NodeKind, SeldonPath } from './node-kind.ts';
export { NODE_KINDS } from './kinds.ts';
