/** @module What every importer shares: what it yields, and where a Kubernetes resource says its name and namespace. */
import { isRecord } from '../validate/_raw.ts';

export interface ImportResult {
  /** The graph file's data, ready to write as YAML; undefined when `problems` are not empty. */
  graph?: Record<string, unknown>;
  /** What stops the import, each naming the field. */
  problems: string[];
  /** What the user should check in the graph it wrote. */
  notes: string[];
}

/** `metadata.name` (undefined when missing) and `metadata.namespace` (Kubernetes' `default` when missing). */
export function resourceIdentity(document: Record<string, unknown>): { name: string | undefined; namespace: string } {
  const metadata = isRecord(document.metadata) ? document.metadata : {};
  return {
    name: typeof metadata.name === 'string' ? metadata.name : undefined,
    namespace: typeof metadata.namespace === 'string' ? metadata.namespace : 'default',
  };
}
