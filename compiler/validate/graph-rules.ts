/**
 * @module Rules on the graph as a whole: the root exists, children exist, and the nodes form a tree reached
 * from the root (no cycles, one parent per node, nothing unreachable), as Seldon Core graphs do. A node's
 * `shadow` links count as edges of that tree: a shadow has its node as its one parent.
 */
import { fieldLabel, specIssue } from '../spec/index.ts';
import type { IssuePath, SpecIssue } from '../spec/index.ts';
import { asString, at, isRecord, rawChildren, rawNodes, rawShadows } from './_raw.ts';
import { didYouMean } from './suggest.ts';

interface Edge {
  parent: string;
  child: string;
  /** A child, or a shadow (which gets a copy of the parent's input). */
  kind: 'child' | 'shadow';
  /** Where the edge is written, under the parent: `['children', i]`, `['shadow']` or `['shadow', i]`. */
  at: Array<string | number>;
}

const childPath = (edge: Edge): IssuePath => ['spec', 'nodes', edge.parent, ...edge.at];
/** How to take the edge out, in words: `remove "b" from the children of "a"`. */
const removal = (edge: Edge): string => `remove "${edge.child}" from the ${edge.kind === 'child' ? 'children' : 'shadow'} of "${edge.parent}"`;

function nodeList(names: string[]): string {
  return names.length === 0 ? 'none are declared' : names.join(', ');
}

/** Children and shadows that name no node, names listed twice, and the edges that remain. */
function collectEdges(data: unknown, names: string[]): { edges: Edge[]; issues: SpecIssue[] } {
  const known = new Set(names);
  const edges: Edge[] = [];
  const issues: SpecIssue[] = [];
  for (const [parent, node] of rawNodes(data)) {
    const listed = new Map<string, Edge['kind']>();
    const links = [
      ...rawChildren(node).map(([index, child]) => ({ kind: 'child' as const, at: ['children', index], child })),
      ...rawShadows(node).map(([at, child]) => ({ kind: 'shadow' as const, at, child })),
    ];
    for (const { kind, at, child } of links) {
      const path: IssuePath = ['spec', 'nodes', parent, ...at];
      const already = listed.get(child);
      if (!known.has(child)) {
        issues.push(specIssue('unknown_child', path, `${fieldLabel(path)}: no node is named "${child}"`,
          `${didYouMean(child, names)}write the name of a node under spec.nodes (${nodeList(names)})`, child));
      } else if (already !== undefined) {
        const where = already === 'child' ? 'these children' : 'this node\'s shadow';
        issues.push(specIssue('duplicate_child', path, `${fieldLabel(path)}: "${child}" is already listed in ${where}`,
          kind === already ? `remove this "${child}"` : `a node is either a child or a shadow: remove this "${child}"`, child));
      } else if (child === parent && kind === 'shadow') {
        issues.push(specIssue('cycle', path, `${fieldLabel(path)}: "${parent}" cannot shadow itself`,
          `name another node: a shadow gets a copy of "${parent}"'s input`, child));
      } else {
        listed.set(child, kind);
        edges.push({ parent, child, kind, at });
      }
    }
  }
  return { edges, issues };
}

/** Depth-first from the root, then from every other node: back edges close cycles. */
function findCycles(names: string[], root: string | undefined, edges: Edge[]): { issues: SpecIssue[]; back: Set<Edge> } {
  const out = new Map<string, Edge[]>(names.map((name) => [name, []]));
  for (const edge of edges) out.get(edge.parent)!.push(edge);
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const back = new Set<Edge>();
  const issues: SpecIssue[] = [];
  const visit = (name: string): void => {
    state.set(name, 'open');
    stack.push(name);
    for (const edge of out.get(name)!) {
      const seen = state.get(edge.child);
      if (seen === 'open') {
        back.add(edge);
        const loop = [...stack.slice(stack.indexOf(edge.child)), edge.child].map((n) => `"${n}"`).join(' → ');
        const path = childPath(edge);
        issues.push(specIssue('cycle', path, `${fieldLabel(path)}: ${loop} is a cycle`,
          `graphs are trees, as in Seldon Core: ${removal(edge)}`, edge.child));
      } else if (seen === undefined) visit(edge.child);
    }
    stack.pop();
    state.set(name, 'done');
  };
  for (const name of root !== undefined && out.has(root) ? [root, ...names] : names) if (!state.has(name)) visit(name);
  return { issues, back };
}

function reachable(root: string, edges: Edge[]): { reached: Set<string>; treeEdges: Set<Edge> } {
  const reached = new Set([root]);
  const treeEdges = new Set<Edge>();
  // Every child edge before any shadow edge: where a node is both some node's child and another's shadow, the
  // shadow is the edge to take out.
  const shadows: Edge[] = [];
  const take = (edge: Edge): void => {
    if (reached.has(edge.child)) return;
    reached.add(edge.child);
    treeEdges.add(edge);
    visit(edge.child);
  };
  const visit = (name: string): void => {
    for (const edge of edges) {
      if (edge.parent !== name) continue;
      if (edge.kind === 'shadow') shadows.push(edge);
      else take(edge);
    }
  };
  visit(root);
  while (shadows.length > 0) take(shadows.shift()!);
  return { reached, treeEdges };
}

/** Every graph-level rule over the raw data. */
export function checkGraph(data: unknown): SpecIssue[] {
  const nodes = at(data, 'spec', 'nodes');
  const names = isRecord(nodes) ? Object.keys(nodes) : [];
  const rawRoot = asString(at(data, 'spec', 'root'));
  const issues: SpecIssue[] = [];
  const root = rawRoot !== undefined && names.includes(rawRoot) ? rawRoot : undefined;
  if (rawRoot !== undefined && rawRoot !== '' && root === undefined) {
    issues.push(specIssue('unknown_root', ['spec', 'root'], `spec.root: no node is named "${rawRoot}"`,
      `${didYouMean(rawRoot, names)}write the name of the node that receives requests (${nodeList(names)})`, rawRoot));
  }
  const { edges, issues: edgeIssues } = collectEdges(data, names);
  issues.push(...edgeIssues);
  const cycles = findCycles(names, root, edges);
  issues.push(...cycles.issues);
  const tree = root === undefined ? undefined : reachable(root, edges);

  const parents = new Map<string, Edge[]>();
  for (const edge of edges) if (!cycles.back.has(edge)) parents.set(edge.child, [...(parents.get(edge.child) ?? []), edge]);
  for (const [child, list] of parents) {
    if (list.length < 2) continue;
    const kept = list.find((edge) => tree?.treeEdges.has(edge)) ?? list[0]!;
    for (const edge of list) {
      if (edge === kept) continue;
      const path = childPath(edge);
      issues.push(specIssue('multiple_parents', path,
        `${fieldLabel(path)}: "${child}" is already ${kept.kind === 'child' ? 'a child' : 'the shadow'} of "${kept.parent}"; graphs are trees, as in Seldon Core, so a node has one parent`,
        `remove "${child}" here, or declare a second node (e.g. ${child}-2) with the same implementation`, child));
    }
  }
  if (tree !== undefined) {
    for (const name of names) {
      if (tree.reached.has(name)) continue;
      const path = ['spec', 'nodes', name];
      issues.push(specIssue('unreachable_node', path, `${fieldLabel(path)}: the node is not reachable from the root "${root}"`,
        `list "${name}" in the children (or the shadow) of a node, or remove it`));
    }
  }
  return issues;
}
