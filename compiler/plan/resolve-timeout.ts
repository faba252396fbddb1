/** @module A node's call timeout: its own `timeout`, else `spec.defaults.timeout`, else 10 s. */
import { DEFAULT_NODE_TIMEOUT_MS } from './defaults.ts';

export function resolveTimeout(nodeMs: number | undefined, defaultsMs: number | undefined): number {
  return nodeMs ?? defaultsMs ?? DEFAULT_NODE_TIMEOUT_MS;
}
