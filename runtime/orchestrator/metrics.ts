/** @module The orchestrator's Prometheus metrics: graph requests, router decisions, feedback, payload logging, shadows. */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { AnswerComparison } from './shadow-compare.ts';
import type { PlanNode } from '../plan/types.ts';

/** Seldon Core's executor's latency buckets, so its Grafana dashboards read these series as they read its own. */
const SELDON_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

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
  /** A call to a node as Seldon's executor counts it (./node-call-metrics.ts). */
  seldonClient(node: PlanNode, path: string, code: number, seconds: number): void;
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
  // Seldon Core's executor's own series (executor/api/metric), for dashboards built on them: the graph is the
  // deployment, with one predictor, "default".
  const seldonServer = new Histogram({
    name: 'seldon_api_executor_server_requests_seconds',
    help: 'A histogram of latencies for executor server (Seldon Core compatible)',
    labelNames: ['deployment_name', 'predictor_name', 'predictor_version', 'service', 'method', 'code'],
    buckets: SELDON_BUCKETS,
    registers: [registry],
  });
  const seldonClient = new Histogram({
    name: 'seldon_api_executor_client_requests_seconds',
    help: 'A histogram of latencies for client calls from executor (Seldon Core compatible)',
    labelNames: ['deployment_name', 'predictor_name', 'predictor_version', 'service', 'model_name', 'model_image', 'model_version', 'method', 'code'],
    buckets: SELDON_BUCKETS,
    registers: [registry],
  });
  const deployment = { deployment_name: graph, predictor_name: 'default', predictor_version: '' };
  // One bound child per label set, made once: labelling every observation would hash the labels on each call.
  const serverSeries = new Map<string, { observe(seconds: number): void }>();
  const clientSeries = new Map<string, { observe(seconds: number): void }>();
  const seriesOf = (cache: Map<string, { observe(seconds: number): void }>, key: string, make: () => { observe(seconds: number): void }) => {
    let series = cache.get(key);
    if (series === undefined) cache.set(key, (series = make()));
    return series;
  };
  return {
    registry,
    wake: (fn) => wakes.inc({ function: fn }),
    seldonClient: (node, path, code, seconds) =>
      seriesOf(clientSeries, `${node.name} ${path} ${code}`, () =>
        seldonClient.labels({ ...deployment, service: path, model_name: node.name, model_image: imageOf(node), model_version: '', method: 'POST', code: String(code) }),
      ).observe(seconds),
    shadow: (node, shadow, outcome) => shadows.inc({ node, shadow, outcome }),
    shadowCompared: (node, shadow, comparison) => {
      shadowRows.inc({ node, shadow }, comparison.rows);
      shadowAgreeing.inc({ node, shadow }, comparison.agreeing);
      shadowDifference.observe({ node, shadow }, comparison.maxAbsDiff);
    },
    payloadLog: (outcome) => payloadEvents.inc({ outcome }),
    request: (protocol, code, seconds) => {
      requests.observe({ protocol, code: String(code) }, seconds);
      // As Seldon's executor counts it: every prediction, whichever its protocol, is service "predictions".
      const service = protocol === 'feedback' ? 'feedback' : 'predictions';
      seriesOf(serverSeries, `${service} ${code}`, () => seldonServer.labels({ ...deployment, service, method: 'POST', code: String(code) })).observe(seconds);
    },
    decision: (router, arm, explore) => decisions.inc({ router, arm: String(arm), explore: String(explore) }),
    reward: (router, arm, reward) => {
      rewards.inc({ router, arm: String(arm) });
      rewardSum.inc({ router, arm: String(arm) }, reward);
    },
  };
}

/** What stands for a Seldon unit's container image: the remote server's URL, or what runs the node here. */
function imageOf(node: PlanNode): string {
  const impl = node.implementation;
  return impl.kind === 'remote' ? impl.url : `switchyard/${impl.kind}`;
}
