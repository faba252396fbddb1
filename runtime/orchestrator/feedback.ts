/**
 * @module Turns Seldon feedback into bandit updates.
 *
 * The reward reaches every router named in `response.meta.routing` (the routing the prediction returned),
 * once per prediction: the same feedback sent twice (same puid) is not counted twice. Feedback for a graph
 * with routers that carries no routing is rejected with a message that says what to send, because silently
 * accepting it is how bandits end up never learning.
 *
 * When the state store is unavailable, a built-in router's reward is queued (`PendingFeedback`) and the answer is
 * 202 Accepted saying so; when the queue is full it is 503 and nothing is kept (`feedbackReply`).
 */
import type { DeploymentPlan } from '../plan/types.ts';
import type { SeldonFeedback } from '../protocol/seldon-types.ts';
import type { NodeClient } from './node-client.ts';
import type { RouterRunner } from './router-runner.ts';
import { NodeCallError } from './errors.ts';
import { RouterInputError } from '../routers/index.ts';
import { StateStoreError } from '../state/types.ts';
import type { PendingReward } from './feedback-queue.ts';

export interface FeedbackResult {
  puid?: string;
  reward: number;
  applied: Array<{ router: string; arm: number }>;
  duplicates: string[];
  /** Rewards kept for retrying because the state store is unavailable. */
  queued: Array<{ router: string; arm: number }>;
  /** Rewards now waiting in this replica's queue (all feedback), when some of this feedback was queued. */
  pending?: number;
}

/** Where rewards wait while the state store is unavailable. */
export interface PendingFeedback {
  /** False while the store is known to be down: rewards are queued without trying it. */
  storeAvailable(): boolean;
  /** False when the queue is full (nothing kept). */
  enqueue(reward: PendingReward, error?: unknown): boolean;
  size(): number;
  /** The store, for messages. */
  where: string;
}

export async function applyFeedback(
  feedback: SeldonFeedback,
  {
    plan,
    routers,
    client,
    headers = {},
    pending,
  }: { plan: DeploymentPlan; routers: RouterRunner; client: NodeClient; headers?: Record<string, string>; pending?: PendingFeedback },
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
  const result: FeedbackResult = { reward, applied: [], duplicates: [], queued: [], ...(puid === undefined ? {} : { puid }) };
  const queue = (router: string, arm: number, error?: unknown) => {
    if (!pending!.enqueue({ router, arm, reward, ...(puid === undefined ? {} : { puid }) }, error)) throw queueFull(result, router, pending!);
    result.queued.push({ router, arm });
    result.pending = pending!.size();
  };
  for (const node of named) {
    const arm = routing[node.name]!;
    if (arm >= node.children.length) {
      throw feedbackError(`response.meta.routing.${node.name}`, `router "${node.name}" has ${node.children.length} children; routing index ${arm} is out of range`);
    }
    if (routers.isBuiltin(node.name)) {
      if (pending !== undefined && !pending.storeAvailable()) {
        queue(node.name, arm);
        continue;
      }
      let applied: boolean;
      try {
        applied = await routers.reward(node, arm, reward, puid);
      } catch (error) {
        if (error instanceof RouterInputError) throw feedbackError(error.field === 'arm' ? `response.meta.routing.${node.name}` : error.field, error.message);
        if (error instanceof StateStoreError && pending !== undefined) {
          queue(node.name, arm, error);
          continue;
        }
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

/** The HTTP answer to applied feedback: 200 when every reward reached the store, 202 when some wait in the queue. */
export function feedbackReply(result: FeedbackResult): { status: 200 | 202; body: Record<string, unknown> } {
  const parts: string[] = [];
  if (result.applied.length) parts.push(`reward ${result.reward} applied to ${result.applied.map((a) => `${a.router} arm ${a.arm}`).join(', ')}`);
  if (result.duplicates.length) parts.push(`feedback for puid ${result.puid} was already applied to ${result.duplicates.join(', ')}; not counted again`);
  if (result.queued.length) {
    parts.push(
      `the router state store is unavailable: reward ${result.reward} for ${result.queued.map((a) => `${a.router} arm ${a.arm}`).join(', ')} is queued ` +
        `(${result.pending} pending on this replica) and will be applied once, when the store answers again`,
    );
  }
  const status = result.queued.length ? 202 : 200;
  return {
    status,
    body: {
      meta: {
        ...(result.puid ? { puid: result.puid } : {}),
        tags: { applied: result.applied.length, duplicate: result.duplicates.length > 0, queued: result.queued.length },
      },
      status: { code: status, info: parts.join('; ') || 'no router to update', reason: result.queued.length ? 'QUEUED' : 'OK', status: 'SUCCESS' },
    },
  };
}

function queueFull(result: FeedbackResult, router: string, pending: PendingFeedback): NodeCallError {
  const done = [...result.applied.map((a) => `${a.router} (applied)`), ...result.queued.map((a) => `${a.router} (queued)`)];
  return new NodeCallError({
    status: 503,
    node: 'orchestrator',
    function: 'orchestrator',
    reason: 'feedback_queue_full',
    message:
      `the router state store ${pending.where} is unavailable and ${pending.size()} rewards already wait on this replica (the limit): ` +
      `the reward for router "${router}" was not kept; send this feedback again later` +
      (done.length ? ` (already done: ${done.join(', ')}; sending it again does not count those twice)` : ''),
  });
}

function feedbackError(field: string, message: string): NodeCallError {
  return new NodeCallError({ status: 400, node: 'orchestrator', function: 'orchestrator', reason: 'bad_feedback', field, message });
}
