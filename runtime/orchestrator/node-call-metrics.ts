/**
 * @module Times every call the orchestrator makes to a node (walks and feedback alike) for its metrics, as Seldon
 * Core's executor does for `seldon_api_executor_client_requests_seconds`: the node, the Seldon path, the status
 * (200, or the failed call's), the seconds. Built-in routers and combiners make no call and are not timed.
 */
import type { PlanNode } from '../plan/types.ts';
import { NodeCallError } from './errors.ts';
import type { NodeClient } from './node-client.ts';

export type NodeCallObserver = (node: PlanNode, path: string, status: number, seconds: number) => void;

export function withCallMetrics(client: NodeClient, observe: NodeCallObserver): NodeClient {
  return {
    async call(node, path, body, context) {
      const started = performance.now();
      try {
        const answer = await client.call(node, path, body, context);
        observe(node, path, 200, (performance.now() - started) / 1000);
        return answer;
      } catch (error) {
        observe(node, path, error instanceof NodeCallError ? error.status : 500, (performance.now() - started) / 1000);
        throw error;
      }
    },
  };
}
