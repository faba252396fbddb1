/**
 * @module Walks a graph for one request, with Seldon Core's semantics, and records what happened.
 *
 * Each node's kind (runtime/nodes) says which path to call before its children, how to fan out and which
 * path to call after them; the walker itself never branches on node types. Built-in routers and combiners
 * run in-process; every other node is a call to its function. The walk records `meta.routing` (router →
 * chosen child index, -1 for other nodes with children), `meta.requestPath` (node → function) and each
 * router's decision (also a span: runtime/tracing), and carries `meta.puid` and `meta.tags` from node to node.
 * A node with a `logger` has what it was given and what it answered sent to its payload log (payload-logging.ts).
 * A node's shadows get a copy of its input and are walked in the background, each with a record of its own: the
 * client's answer never waits for them nor sees them; `onShadow` hears how each went.
 */
import type { DeploymentPlan, PlanNode } from '../plan/types.ts';
import type { SeldonMessage, SeldonMeta, SeldonMetric } from '../protocol/seldon-types.ts';
import { NODE_KINDS } from '../nodes/index.ts';
import { NoMatchingRouteError, type RouteDecision } from '../routers/index.ts';
import { COMBINERS, MESSAGE_COMBINERS, isMessageCombiner } from '../combiners/index.ts';
import { NodeCallError } from './errors.ts';
import type { NodeClient } from './node-client.ts';
import type { RouterRunner } from './router-runner.ts';
import { messageToTensor, tensorToMessage } from './message-tensor.ts';
import { traceRoute } from '../tracing/router-span.ts';
import type { PayloadLogging } from './payload-logging.ts';
import { traceShadow } from '../tracing/shadow-span.ts';

export interface WalkRecord {
  puid: string;
  routing: Record<string, number>;
  requestPath: Record<string, string>;
  tags: Record<string, unknown>;
  metrics: SeldonMetric[];
  decisions: Record<string, RouteDecision>;
}

export interface Walker {
  /**
   * Walks the graph for one request. `onRecord` receives the record as the walk starts, so that a caller still has
   * the nodes the walk reached (`requestPath`) when it fails.
   */
  run(
    request: SeldonMessage,
    options: { puid: string; headers?: Record<string, string>; onRecord?: (record: WalkRecord) => void },
  ): Promise<{ response: SeldonMessage; record: WalkRecord }>;
}

/** How one shadow walk went: `skipped` when `maxShadowsInFlight` were already running. */
export interface ShadowOutcome {
  of: string;
  shadow: string;
  outcome: 'ok' | 'failed' | 'skipped';
  error?: unknown;
}

/** Shadow walks running at once at most, per orchestrator replica: beyond, a shadow is skipped (and counted). */
export const DEFAULT_MAX_SHADOWS_IN_FLIGHT = 64;

export function createWalker({
  plan,
  client,
  routers,
  payloadLog,
  onShadow,
  onShadowAnswer,
  maxShadowsInFlight = DEFAULT_MAX_SHADOWS_IN_FLIGHT,
}: {
  plan: DeploymentPlan;
  client: NodeClient;
  routers: RouterRunner;
  payloadLog?: PayloadLogging | undefined;
  onShadow?: ((outcome: ShadowOutcome) => void) | undefined;
  /** Both a node and its shadow answered the same input: their answers, to compare. */
  onShadowAnswer?: ((node: string, shadow: string, answer: SeldonMessage, shadowAnswer: SeldonMessage) => void) | undefined;
  maxShadowsInFlight?: number;
}): Walker {
  for (const node of Object.values(plan.nodes)) {
    const fanOut = NODE_KINDS[node.type].fanOut;
    if (fanOut === 'chain' && node.children.length > 1) {
      throw new Error(
        `node "${node.name}" (${node.type}) has ${node.children.length} children; only ROUTER and COMBINER nodes may have more than one`,
      );
    }
  }

  let shadowsInFlight = 0;
  /** Walks `shadow` with a copy of `of`'s input, in the background; resolves with its answer (undefined: none). */
  const launchShadow = (of: string, shadow: string, input: SeldonMessage, puid: string, headers: Record<string, string>): Promise<SeldonMessage | undefined> => {
    if (shadowsInFlight >= maxShadowsInFlight) {
      onShadow?.({ of, shadow, outcome: 'skipped' });
      return Promise.resolve(undefined);
    }
    shadowsInFlight++;
    return traceShadow(of, shadow, () => execute(shadow, input, { puid, headers }))
      .then(
        ({ response }) => (onShadow?.({ of, shadow, outcome: 'ok' }), response),
        (error: unknown) => (onShadow?.({ of, shadow, outcome: 'failed', error }), undefined),
      )
      .finally(() => shadowsInFlight--);
  };

  /** Walks the tree under `root` (the graph's root, or a shadow) for one request. */
  const execute = async (
    root: string,
    request: SeldonMessage,
    { puid, headers = {}, onRecord }: { puid: string; headers?: Record<string, string>; onRecord?: (record: WalkRecord) => void },
  ): Promise<{ response: SeldonMessage; record: WalkRecord }> => {
    const record: WalkRecord = {
      puid,
      routing: {},
      requestPath: {},
      tags: mergeTags({}, request.meta?.tags ?? {}),
      metrics: [],
      decisions: {},
    };
    onRecord?.(record);
    const logged = (node: PlanNode, path: string, body: unknown, answer: unknown) => {
      payloadLog!.node(node, 'request', path, puid, body);
      payloadLog!.node(node, 'response', path, puid, answer);
    };
    const call = async (node: PlanNode, path: string, body: SeldonMessage | { seldonMessages: SeldonMessage[] }) => {
      if (node.logger !== undefined) payloadLog?.node(node, 'request', path, puid, body);
      const answer = await client.call(node, path, body, { headers });
      if (node.logger !== undefined) payloadLog?.node(node, 'response', path, puid, answer);
      if (answer.meta?.tags) mergeTags(record.tags, answer.meta.tags);
      if (answer.meta?.metrics) record.metrics.push(...answer.meta.metrics);
      return answer;
    };
    const carry = (message: SeldonMessage): SeldonMessage => {
      const meta: SeldonMeta = { puid, tags: { ...record.tags } };
      return { ...message, meta };
    };

    const walk = async (name: string, input: SeldonMessage): Promise<SeldonMessage> => {
      const node = plan.nodes[name]!;
      const kind = NODE_KINDS[node.type];
      const shadowAnswers = node.shadows?.map((shadow) => [shadow, launchShadow(name, shadow, carry(input), puid, headers)] as const);
      record.requestPath[name] = node.function;
      let current = input;
      if (kind.inputPath) current = carry(await call(node, kind.inputPath, carry(current)));
      if (node.children.length > 0) {
        if (kind.fanOut === 'route') {
          const index = await route(node, current);
          record.routing[name] = index;
          // -1 (a router component or a remote Seldon router): every child, answered by the first, as Seldon does.
          if (index === -1) current = (await Promise.all(node.children.map((child) => walk(child, current))))[0]!;
          else current = await walk(node.children[index]!, current);
        } else if (kind.fanOut === 'all') {
          record.routing[name] = -1;
          const results = await Promise.all(node.children.map((child) => walk(child, current)));
          current = await aggregate(node, results);
        } else {
          record.routing[name] = -1;
          current = await walk(node.children[0]!, current);
        }
      }
      if (kind.outputPath) {
        current = carry(await call(node, kind.outputPath, carry(current)));
      }
      // Once both have answered the same input, the node's answer and each shadow's go to be compared.
      if (shadowAnswers !== undefined && onShadowAnswer !== undefined) {
        const answer = current;
        for (const [shadow, pending] of shadowAnswers) void pending.then((shadowAnswer) => shadowAnswer !== undefined && onShadowAnswer(name, shadow, answer, shadowAnswer));
      }
      return current;
    };

    const route = async (node: PlanNode, message: SeldonMessage): Promise<number> => {
      const traced = { name: node.name, children: node.children, router: node.implementation.kind === 'router' ? node.implementation.router : node.implementation.kind };
      if (routers.isBuiltin(node.name)) {
        const seen = carry(message);
        const decision = await traceRoute(traced, async () => {
          try {
            return await routers.decide(node, seen);
          } catch (error) {
            if (!(error instanceof NoMatchingRouteError)) throw error;
            throw new NodeCallError({ status: 400, node: node.name, function: node.function, reason: 'no_route', message: `router "${node.name}": ${error.message}`, cause: error });
          }
        });
        record.decisions[node.name] = decision;
        if (node.logger !== undefined && payloadLog !== undefined) logged(node, '/route', seen, { data: { ndarray: [[decision.arm]] } });
        return decision.arm;
      }
      return (await traceRoute(traced, async () => ({ arm: await routeByCall(node, message) }))).arm;
    };

    const routeByCall = async (node: PlanNode, message: SeldonMessage): Promise<number> => {
      const answer = await call(node, '/route', carry(message));
      const index = routeIndexOf(answer);
      if (index === undefined || index < -1 || index >= node.children.length) {
        throw new NodeCallError({
          status: 502, node: node.name, function: node.function, reason: 'bad_route',
          message: `router "${node.name}" answered /route with ${JSON.stringify(answer.data ?? null)}; expected {"data":{"ndarray":[[i]]}} with i an integer from 0 to ${node.children.length - 1}, or -1 for every child`,
        });
      }
      return index;
    };

    const aggregate = async (node: PlanNode, messages: SeldonMessage[]): Promise<SeldonMessage> => {
      const impl = node.implementation;
      if (impl.kind !== 'combiner') return carry(await call(node, '/aggregate', { seldonMessages: messages.map(carry) }));
      if (isMessageCombiner(impl.combiner)) {
        const combined = MESSAGE_COMBINERS[impl.combiner](messages, node.children);
        if (node.logger !== undefined && payloadLog !== undefined) logged(node, '/aggregate', { seldonMessages: messages.map(carry) }, combined);
        return combined;
      }
      const tensors = messages.map((message, i) => messageToTensor(message, `${node.children[i]}`));
      try {
        const combined = tensorToMessage(COMBINERS[impl.combiner](tensors, node.children), messages[0]!);
        if (node.logger !== undefined && payloadLog !== undefined) logged(node, '/aggregate', { seldonMessages: messages.map(carry) }, combined);
        return combined;
      } catch (error) {
        throw new NodeCallError({
          status: 400, node: node.name, function: node.function, reason: 'combine_failed',
          message: `combiner "${node.name}" (${impl.combiner}) could not combine its children's outputs: ${(error as Error).message}`,
        });
      }
    };

    const result = await walk(root, { ...request, meta: { puid, tags: record.tags } });
    const response: SeldonMessage = {
      ...result,
      meta: {
        puid,
        tags: record.tags,
        routing: record.routing,
        requestPath: record.requestPath,
        metrics: record.metrics,
      },
    };
    delete response.status;
    return { response, record };
  };

  return { run: (request, options) => execute(plan.root, request, options) };
}

function routeIndexOf(message: SeldonMessage): number | undefined {
  const nd = message.data?.ndarray;
  let value: unknown = nd;
  while (Array.isArray(value)) value = value[0];
  if (value === undefined) value = message.data?.tensor?.values[0];
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}

/** Copies tags without letting a `__proto__` (or constructor/prototype) key change the target's prototype. */
function mergeTags(target: Record<string, unknown>, source: Record<string, unknown>): Record<string, unknown> {
  for (const [key, value] of Object.entries(source)) {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') continue;
    target[key] = value;
  }
  return target;
}
