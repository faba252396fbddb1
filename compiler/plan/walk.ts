/**
 * @module The walk order of a graph: depth first from the root, children in order, then each node's shadows. It
 * orders the plan's nodes, edges and functions, so that the plan does not depend on the order nodes are declared in.
 */
import type { GraphSpec } from '../spec/index.ts';

export interface GraphWalk {
  /** Node names in walk order; nodes the walk does not reach (none in a valid graph) follow in file order. */
  order: string[];
  /** [parent, child] pairs in walk order. */
  edges: Array<[string, string]>;
  /** [node, shadow] pairs in walk order. */
  shadows: Array<[string, string]>;
}

/** A node's `shadow` as a list. */
export function shadowsOf(node: { shadow?: string | string[] | undefined } | undefined): string[] {
  const shadow = node?.shadow;
  return shadow === undefined ? [] : typeof shadow === 'string' ? [shadow] : shadow;
}

export function walkGraph(spec: Pick<GraphSpec, 'root' | 'nodes'>): GraphWalk {
  const order: string[] = [];
  const edges: Array<[string, string]> = [];
  const shadows: Array<[string, string]> = [];
  const seen = new Set<string>();
  const visit = (name: string): void => {
    seen.add(name);
    order.push(name);
    for (const child of spec.nodes[name]?.children ?? []) {
      if (spec.nodes[child] === undefined || seen.has(child)) continue;
      edges.push([name, child]);
      visit(child);
    }
    for (const shadow of shadowsOf(spec.nodes[name])) {
      if (spec.nodes[shadow] === undefined || seen.has(shadow)) continue;
      shadows.push([name, shadow]);
      visit(shadow);
    }
  };
  if (spec.nodes[spec.root] !== undefined) visit(spec.root);
  for (const name of Object.keys(spec.nodes)) if (!seen.has(name)) visit(name);
  return { order, edges, shadows };
}
