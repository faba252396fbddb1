/**
 * @module Turns Seldon feedback into bandit updates.
 *
 * The reward reaches every router named in `response.meta.routing` (the routing the prediction returned),
 * once per prediction: the same feedback sent twice (same puid) is not counted twice. Feedback for a graph
 * with routers that carries no routing is rejected with a message that says what to send, because silently
 * accepting it is how bandits end up never learning.
 */
import type { DeploymentPlan } from '../plan/types.ts';
import type { SeldonFeedback } from '../protocol/seldon-types.ts';
import type { NodeClient } from './node-client.ts';
import type { RouterRunner } from './router-runner.ts';
import { NodeCallError } from './errors.ts';
import { RouterInputError } from '../routers/index.ts';

export interface FeedbackResult {
  puid?: string;
  reward: number;
  applied: Array<{ router: string; arm: number }>;
  duplicates: string[];
}

export async function applyFeedback(
  feedback: SeldonFeedback,
  { plan, routers, client, headers = {} }: { plan: DeploymentPlan; routers: RouterRunner; client: NodeClient; headers?: Record<string, string> },
): Promise<FeedbackResult> {
  const reward = feedback.reward;
  if (typeof reward !== 'number' || !Number.isFinite(reward)) {
    throw feedbackError('reward', `feedback.reward must be a number (1 when the prediction was right, 0 when not); received ${JSON.stringify(reward ?? null)}`);
  }
  const routing = feedback.response?.meta?.routing ?? {};
  const puid = feedback.response?.meta?.puid ?? feedback.request?.meta?.puid;
  const graphRouters = Object.values(plan.nodes).filter((n) => n.type === 'ROUTER');
  const named = graphRouters.filter((n) => typeof routing[n.name] === 'number' && routing[n.name]! >= 0);
  if (graphRouters.length > 0 && named.length === 0) {
    throw feedbackError(
      'response.meta.routing',
      `feedback.response.meta.routing names none of this graph's routers (${graphRouters.map((n) => n.name).join(', ')}): send back the response's "meta" exactly as the prediction returned it`,
    );
  }
  const result: FeedbackResult = { reward, applied: [], duplicates: [], ...(puid === undefined ? {} : { puid }) };
  for (const node of named) {
    const arm = routing[node.name]!;
    if (arm >= node.children.length) {
      throw feedbackError(`response.meta.routing.${node.name}`, `router "${node.name}" has ${node.children.length} children; routing index ${arm} is out of range`);
    }
    if (routers.isBuiltin(node.name)) {
      let applied: boolean;
      try {
        applied = await routers.reward(node, arm, reward, puid);
      } catch (error) {
        if (error instanceof RouterInputError) throw feedbackError(error.field === 'arm' ? `response.meta.routing.${node.name}` : error.field, error.message);
        throw error;
      }
      if (applied) result.applied.push({ router: node.name, arm });
      else result.duplicates.push(node.name);
    } else {
      await client.call(node, '/send-feedback', feedback, { headers });
      result.applied.push({ router: node.name, arm });
    }
  }
  return result;
}

function feedbackError(field: string, message: string): NodeCallError {
  return new NodeCallError({ status: 400, node: 'orchestrator', function: 'orchestrator', reason: 'bad_feedback', field, message });
}
