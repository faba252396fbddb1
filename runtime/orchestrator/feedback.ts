/**
 * @module Turns Seldon feedback into bandit updates.
 *
 * The reward reaches every router named in `response.meta.routing` (the routing the prediction returned),
 * once per prediction: the same feedback sent twice (same puid) is not counted twice. Feedback for a graph
 * with routers that carries no routing is rejected with a message that says what to send, because silently
 * accepting it is how bandits end up never learning.
 *
 * The whole feedback also goes, as Seldon Core's executor sends it, to every other node on the prediction's path
 * that takes feedback (`feedbackTakers`): a component that exports `sendFeedback` (a model that learns online) and
 * a remote Seldon MODEL unit (`seldon`, `seldon-grpc`). The path is the graph's tree as `routing` chose it: a
 * router's chosen child (every child for -1), every child of any other node. These get each feedback sent: a
 * puid is not remembered for them.
 *
 * When the state store is unavailable, a built-in router's reward is queued (`PendingFeedback`) and the answer is
 * 202 Accepted saying so; when the queue is full it is 503 and nothing is kept (`feedbackReply`).
 */
import type { DeploymentPlan, PlanNode } from '../plan/types.ts';
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
  /** The other nodes on the prediction's path the feedback was sent to (`feedbackTakers`). */
  forwarded: string[];
  /** Those of them that answered that they take no feedback (404, 405, 501: a remote unit without SendFeedback), and why. */
  refused: Array<{ node: string; why: string }>;
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
  // A router that answered -1 sent the request to every child: it is named, but chose no arm to reward.
  const mentioned = graphRouters.filter((n) => typeof routing[n.name] === 'number' && routing[n.name]! >= -1);
  const named = mentioned.filter((n) => routing[n.name]! >= 0);
  if (graphRouters.length > 0 && mentioned.length === 0) {
    throw feedbackError(
      'response.meta.routing',
      `feedback.response.meta.routing names none of this graph's routers (${graphRouters.map((n) => n.name).join(', ')}): send back the response's "meta" exactly as the prediction returned it`,
    );
  }
  const result: FeedbackResult = { reward, applied: [], duplicates: [], queued: [], forwarded: [], refused: [], ...(puid === undefined ? {} : { puid }) };
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
  // A remote unit that serves no feedback (404, 405, 501) does not learn, and does not fail the routers' reward.
  // In path order, whichever answers first.
  const outcomes = await Promise.all(
    feedbackTakers(plan, routing).map((node) =>
      client.call(node, '/send-feedback', feedback, { headers }).then(
        (): { node: string; why?: string } => ({ node: node.name }),
        (error: unknown) => {
          if (!(error instanceof NodeCallError && (error.status === 404 || error.status === 405 || error.status === 501))) throw error;
          return { node: node.name, why: error.message };
        },
      ),
    ),
  );
  for (const { node, why } of outcomes) {
    if (why === undefined) result.forwarded.push(node);
    else result.refused.push({ node, why });
  }
  return result;
}

/**
 * The nodes other than routers that get the feedback: on the prediction's path (each router's chosen child, every
 * child for -1, every child of other nodes), those that take it — a component exporting `sendFeedback`, or a
 * remote Seldon MODEL unit (Seldon's executor sends its MODEL units feedback; its Python wrapper ignores it
 * where the model has no `send_feedback`).
 */
export function feedbackTakers(plan: DeploymentPlan, routing: Readonly<Record<string, number>>): PlanNode[] {
  const takers: PlanNode[] = [];
  const visit = (name: string) => {
    const node = plan.nodes[name];
    if (node === undefined) return;
    if (takesFeedback(node)) takers.push(node);
    if (node.type !== 'ROUTER') return node.children.forEach(visit);
    const arm = routing[name];
    if (arm === -1) node.children.forEach(visit);
    else if (typeof arm === 'number' && node.children[arm] !== undefined) visit(node.children[arm]!);
  };
  visit(plan.root);
  return takers;
}

function takesFeedback(node: PlanNode): boolean {
  const impl = node.implementation;
  if (node.type === 'ROUTER') return false;
  if (impl.kind === 'component') return impl.methods.includes('sendFeedback');
  return impl.kind === 'remote' && node.type === 'MODEL' && (impl.protocol === 'seldon' || impl.protocol === 'seldon-grpc');
}

/** The HTTP answer to applied feedback: 200 when every reward reached the store, 202 when some wait in the queue. */
export function feedbackReply(result: FeedbackResult): { status: 200 | 202; body: Record<string, unknown> } {
  const parts: string[] = [];
  if (result.applied.length) parts.push(`reward ${result.reward} applied to ${result.applied.map((a) => `${a.router} arm ${a.arm}`).join(', ')}`);
  if (result.forwarded.length) parts.push(`sent to ${result.forwarded.join(', ')}`);
  if (result.refused.length) parts.push(`not taken by ${result.refused.map((r) => `${r.node} (${r.why})`).join(', ')}`);
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
      status: { code: status, info: parts.join('; ') || 'no router or other node takes feedback on this prediction\'s path', reason: result.queued.length ? 'QUEUED' : 'OK', status: 'SUCCESS' },
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
