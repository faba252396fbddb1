/**
 * @module Where router state lives: the command-line override, else `spec.state`, else a file.
 *
 * A file path (the default `.switchyard/state/<graph>.json` included) stays as written: it is relative to
 * the graph file's directory, and the engine that runs the orchestrator resolves it there. The plan holds no
 * absolute paths, so that it can be moved with the compiled output.
 */
import type { StateStoreConfig } from '../../runtime/plan/types.ts';
import type { StateSpec } from '../spec/index.ts';
import { defaultStatePath } from './defaults.ts';

export function resolveState(spec: StateSpec | undefined, graph: string, override?: StateStoreConfig): StateStoreConfig {
  if (override !== undefined) return { ...override };
  if (spec === undefined) return { kind: 'file', path: defaultStatePath(graph) };
  switch (spec.store) {
    case 'memory':
      return { kind: 'memory' };
    case 'file':
      return { kind: 'file', path: spec.path ?? defaultStatePath(graph) };
    case 'redis':
      return { kind: 'redis', url: spec.url };
  }
}
