/** @module A graph is served as one model, named after it: a request for another model name is a 404 naming it. */
import { ProtocolError, REASONS } from '../protocol/errors.ts';

/** Throws the 404 unless `name` is the graph's; `route` names where the graph is served, when given. */
export function checkModelName(name: string, graph: string, route?: string): void {
  if (name === graph) return;
  throw new ProtocolError(`model "${name}" is not served here: this graph is served as model "${graph}"${route === undefined ? '' : ` (${route})`}`, {
    status: 404,
    reason: REASONS.notFound,
    field: 'model_name',
  });
}
