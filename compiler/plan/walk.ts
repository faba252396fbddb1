/**
 * @module The walk order of a graph: depth first from the root, children in order. It orders the plan's
 * nodes, edges and functions, so that the plan does not depend on the order nodes are declared in.
 */
import type { GraphSpec } from '../spec/index.ts';

export interface GraphWalk {
  /** Node names in walk order; nodes the walk does not reach (none in a valid graph) follow in file order. */
  order: string[];
  /** [parent, child] pairs in walk order. */
  edges: Array<[string, string]>;
}

export function walkGraph(spec: Pick<GraphSpec, 'root' | 'nodes'>): GraphWalk {
  const order: string[] = [];
  const edges: Array<[string, string]> = [];
  const seen = new Set<string>();
  const visit = (name: string): void => {
    seen.add(name);
    order.push(name);
    for (const child of spec.nodes[name]?.children ?? []) {
      if (spec.nodes[child] === undefined || seen.has(child)) continue;
      edges.push([name, child]);
      visit(child);
    }
  };
  if (spec.nodes[spec.root] !== undefined) visit(spec.root);
  for (const name of Object.keys(spec.nodes)) if (!seen.has(name)) visit(name);
  return { order, edges };
}
