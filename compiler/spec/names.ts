/**
 * @module Names that end up in Kubernetes: graph, node and namespace names.
 *
 * Graph and node names become Knative Service names, which must be DNS-1035 labels (lowercase letters,
 * digits and '-', starting with a letter, ending with a letter or digit, at most 63 characters).
 */
import { z } from 'zod';

export const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
export const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const MAX_LABEL_LENGTH = 63;
/** Leaves room for `<graph>-<node>` within 63 characters. */
export const MAX_GRAPH_NAME_LENGTH = 40;
/** The function that runs the graph: no node may take its name. */
export const RESERVED_NODE_NAMES: readonly string[] = ['orchestrator'];

export const GraphNameSchema = z
  .string()
  .max(MAX_GRAPH_NAME_LENGTH)
  .regex(DNS_1035_LABEL, {
    error: 'expected a lowercase name of letters, digits and "-", starting with a letter',
  })
  .meta({ description: 'Name of the graph: a lowercase DNS label of at most 40 characters.', examples: ['iris-bandit'] });

export const NamespaceSchema = z
  .string()
  .max(MAX_LABEL_LENGTH)
  .regex(DNS_1123_LABEL, { error: 'expected a Kubernetes namespace name (lowercase letters, digits and "-")' })
  .meta({ description: 'Kubernetes namespace of the deployed functions (default: "default").', examples: ['ml'] });

/** Why a node name is not usable, or undefined when it is. */
export function nodeNameProblem(name: string): string | undefined {
  if (name.length > MAX_LABEL_LENGTH) return `is ${name.length} characters long; at most ${MAX_LABEL_LENGTH} are allowed`;
  if (!DNS_1035_LABEL.test(name)) return 'must be lowercase letters, digits and "-", starting with a letter and ending with a letter or digit';
  return undefined;
}

/** A usable spelling of a bad node name, for hints: `Good_Model` → `good-model`. */
export function suggestNodeName(name: string): string {
  const cleaned = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+$/, '')
    .slice(0, MAX_LABEL_LENGTH);
  return cleaned === '' ? 'node-1' : cleaned;
}
