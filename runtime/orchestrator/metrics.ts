/** @module The orchestrator's Prometheus metrics: graph requests, router decisions, feedback, payload logging, shadows. */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { AnswerComparison } from './shadow-compare.ts';

export interface OrchestratorMetrics {
  registry: Registry;
  request(protocol: 'seldon' | 'v2' | 'kserve-v1' | 'feedback', code: number, seconds: number): void;
  decision(router: string, arm: number, explore: boolean): void;
  reward(router: string, arm: number, reward: number): void;
  /** One payload-log event sent, failed or dropped (spec.logger / a node's logger). */
  payloadLog(outcome: 'sent' | 'failed' | 'dropped'): void;
  /** One shadow walk of `node`'s shadow: ok, failed, or skipped (too many running). */
  shadow(node: string, shadow: string, outcome: 'ok' | 'failed' | 'skipped'): void;
  /** A shadow's answer compared with its node's (runtime/orchestrator/shadow-compare.ts). */
  shadowCompared(node: string, shadow: string, comparison: AnswerComparison): void;
  /** A function woken by graph activation (./graph-activation.ts). */
  wake(fn: string): void;
}

export function createOrchestratorMetrics(graph: string): OrchestratorMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ graph });
  collectDefaultMetrics({ register: registry, prefix: 'switchyard_orchestrator_' });
  const requests = new Histogram({
    name: 'switchyard_graph_request_duration_seconds',
    help: 'Time to walk the graph for one request, by protocol and status code.',
    labelNames: ['protocol', 'code'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const decisions = new Counter({
    name: 'switchyard_router_decisions_total',
    help: 'Routing decisions by router, chosen arm and whether it explored.',
    labelNames: ['router', 'arm', 'explore'],
    registers: [registry],
  });
  const rewards = new Counter({
    name: 'switchyard_router_feedback_total',
    help: 'Feedback applied by router and arm.',
    labelNames: ['router', 'arm'],
    registers: [registry],
  });
  const rewardSum = new Counter({
    name: 'switchyard_router_reward_sum',
    help: 'Sum of the rewards received by router and arm.',
    labelNames: ['router', 'arm'],
    registers: [registry],
  });
  const payloadEvents = new Counter({
    name: 'switchyard_payload_log_events_total',
    help: 'Payload-log CloudEvents by outcome: sent, failed (the logger did not take them) or dropped (too many waiting).',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const shadows = new Counter({
    name: 'switchyard_shadow_requests_total',
    help: "Shadow walks (a node's shadow given a copy of its input) by node, shadow and outcome: ok, failed, skipped.",
    labelNames: ['node', 'shadow', 'outcome'],
    registers: [registry],
  });
  const shadowRows = new Counter({
    name: 'switchyard_shadow_rows_total',
    help: "Rows of a shadow's answers compared with its node's answers to the same input.",
    labelNames: ['node', 'shadow'],
    registers: [registry],
  });
  const shadowAgreeing = new Counter({
    name: 'switchyard_shadow_rows_agreeing_total',
    help: "Of those rows, the ones where the shadow put its largest value where the node did (the same class), or gave the same value.",
    labelNames: ['node', 'shadow'],
    registers: [registry],
  });
  const shadowDifference = new Histogram({
    name: 'switchyard_shadow_max_abs_difference',
    help: "Per compared answer, the largest absolute difference between a value of the shadow's answer and the node's.",
    labelNames: ['node', 'shadow'],
    buckets: [1e-6, 1e-4, 1e-3, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 5],
    registers: [registry],
  });
  const wakes = new Counter({
    name: 'switchyard_function_wakes_total',
    help: 'Functions woken by graph activation: a request after an idle spell long enough for them to be at zero.',
    labelNames: ['function'],
    registers: [registry],
  });
  return {
    registry,
    wake: (fn) => wakes.inc({ function: fn }),
    shadow: (node, shadow, outcome) => shadows.inc({ node, shadow, outcome }),
    shadowCompared: (node, shadow, comparison) => {
      shadowRows.inc({ node, shadow }, comparison.rows);
      shadowAgreeing.inc({ node, shadow }, comparison.agreeing);
      shadowDifference.observe({ node, shadow }, comparison.maxAbsDiff);
    },
    payloadLog: (outcome) => payloadEvents.inc({ outcome }),
    request: (protocol, code, seconds) => requests.observe({ protocol, code: String(code) }, seconds),
    decision: (router, arm, explore) => decisions.inc({ router, arm: String(arm), explore: String(explore) }),
    reward: (router, arm, reward) => {
      rewards.inc({ router, arm: String(arm) });
      rewardSum.inc({ router, arm: String(arm) }, reward);
    },
  };
}
