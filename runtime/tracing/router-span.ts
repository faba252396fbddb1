/**
 * @module The span of a router node's decision: which child it chose, each arm's estimate, explore or exploit, why.
 *
 * The span covers the decision only (a built-in router's state read and draw, or a user router's `/route` call,
 * which becomes its child); the chosen child's own calls follow it as siblings, so the waterfall reads in order.
 */
import { context, SpanKind, trace, type Tracer } from '@opentelemetry/api';
import {
  ATTR_NODE,
  ATTR_NODE_TYPE,
  ATTR_ROUTER,
  ATTR_ROUTER_ARM,
  ATTR_ROUTER_ARMS,
  ATTR_ROUTER_CHOSEN,
  ATTR_ROUTER_ESTIMATES,
  ATTR_ROUTER_EXPLORE,
  ATTR_ROUTER_REASON,
} from './attributes.ts';
import { recordSpanError } from './errors.ts';
import { startSpan } from './start-span.ts';
import { TRACER_NAME } from './middleware.ts';

export interface RouterNode {
  name: string;
  /** The algorithm (`epsilon-greedy`, …) or `component` for a user's router. */
  router: string;
  children: string[];
}

/** What a decision says; a user router tells only the arm. */
export interface RouteOutcome {
  arm: number;
  explore?: boolean;
  estimates?: number[];
  reason?: string;
}

export async function traceRoute<T extends RouteOutcome>(node: RouterNode, decide: () => Promise<T>, tracer?: Tracer): Promise<T> {
  const parent = context.active();
  const span = startSpan(
    tracer ?? trace.getTracer(TRACER_NAME),
    `route ${node.name}`,
    SpanKind.INTERNAL,
    () => ({ [ATTR_NODE]: node.name, [ATTR_NODE_TYPE]: 'ROUTER', [ATTR_ROUTER]: node.router, [ATTR_ROUTER_ARMS]: node.children }),
    parent,
  );
  try {
    const outcome = await context.with(trace.setSpan(parent, span), decide);
    if (span.isRecording()) {
      const chosen = node.children[outcome.arm];
      span.updateName(`route ${node.name} → ${chosen ?? `arm ${outcome.arm}`}`);
      span.setAttribute(ATTR_ROUTER_ARM, outcome.arm);
      if (chosen !== undefined) span.setAttribute(ATTR_ROUTER_CHOSEN, chosen);
      if (outcome.explore !== undefined) span.setAttribute(ATTR_ROUTER_EXPLORE, outcome.explore);
      if (outcome.estimates !== undefined) span.setAttribute(ATTR_ROUTER_ESTIMATES, outcome.estimates);
      if (outcome.reason !== undefined) span.setAttribute(ATTR_ROUTER_REASON, outcome.reason);
    }
    return outcome;
  } catch (error) {
    recordSpanError(error, { span, markError: true });
    throw error;
  } finally {
    span.end();
  }
}
