/**
 * @module The shape of a user's TypeScript component, in the spirit of Seldon's language wrappers.
 *
 * A component module exports plain functions; which ones it needs depends on its node type:
 * MODEL → predict, TRANSFORMER → transformInput, OUTPUT_TRANSFORMER → transformOutput,
 * COMBINER → aggregate, ROUTER → route. Everything else is optional.
 *
 * `X` is the request's payload in its most natural JS form: nested number arrays for `data.ndarray` and
 * `data.tensor` (a tensor is reshaped by its `shape`), the parsed value for `jsonData`, a string for
 * `strData`, a Uint8Array for `binData`. A method returns the same kinds of value; the wrapper encodes it
 * back in the form the request came in (tensor in → tensor out, ndarray in → ndarray out).
 * `*Raw` variants receive and return whole Seldon messages, for full control.
 */
import type { SeldonFeedback, SeldonMessage, SeldonMessageList, SeldonMeta, SeldonMetric } from '../protocol/seldon-types.ts';

export interface ComponentContext {
  /** `data.names` of the request (feature/column names), or [] */
  names: string[];
  meta: SeldonMeta;
  /** `parameters` given to the node in the graph. */
  parameters: Record<string, unknown>;
}

export type Awaitable<T> = T | Promise<T>;

export interface Component {
  init?(parameters: Record<string, unknown>): Awaitable<void>;
  predict?(X: unknown, context: ComponentContext): Awaitable<unknown>;
  transformInput?(X: unknown, context: ComponentContext): Awaitable<unknown>;
  transformOutput?(X: unknown, context: ComponentContext): Awaitable<unknown>;
  aggregate?(Xs: unknown[], context: ComponentContext): Awaitable<unknown>;
  /** Returns the index of the child to send the request to, or -1 for every child (the first child's answer is kept). */
  route?(X: unknown, context: ComponentContext): Awaitable<number>;
  /**
   * Feedback on a prediction this node took part in: a router's, for the arm it chose; any other node's (a model
   * that learns online), the whole feedback, each time it is sent.
   */
  sendFeedback?(feedback: SeldonFeedback, context: ComponentContext): Awaitable<void>;
  predictRaw?(message: SeldonMessage): Awaitable<SeldonMessage>;
  transformInputRaw?(message: SeldonMessage): Awaitable<SeldonMessage>;
  transformOutputRaw?(message: SeldonMessage): Awaitable<SeldonMessage>;
  aggregateRaw?(messages: SeldonMessageList): Awaitable<SeldonMessage>;
  /** `names` for the response's `data.names`. */
  classNames?(): string[];
  health?(): Awaitable<boolean>;
  metadata?(): Awaitable<Record<string, unknown>>;
  /** Custom metrics added to each response's `meta.metrics` (and exposed at /metrics). */
  metrics?(): SeldonMetric[];
  /** Tags merged into each response's `meta.tags`. */
  tags?(): Record<string, unknown>;
}

/** The method each node type requires (the raw variant satisfies it too). */
export const REQUIRED_METHOD = {
  MODEL: 'predict',
  TRANSFORMER: 'transformInput',
  OUTPUT_TRANSFORMER: 'transformOutput',
  COMBINER: 'aggregate',
  ROUTER: 'route',
} as const;
