/**
 * @module `loadComponentNode`: a user's component module → the `NodeHandlers` a function host serves.
 *
 * The module is checked against its node type, `init(parameters)` runs once, and each method it exports is
 * served: `X` is the request's payload in its natural form and the result goes back in the same form, with
 * `classNames()` as `data.names` (else `t:0, t:1, …` for a model's or combiner's 2-D result, and the
 * request's names for transformers), `tags()` merged into `meta.tags` and `metrics()` as `meta.metrics` (the
 * component's own metrics for this call; also exposed at /metrics through the host). `*Raw` methods take and
 * return whole messages, untouched. User code never crashes the function: see `_user-call.ts`.
 */
import type { LoadedNode, NodeHandlers } from '../host/types.ts';
import { silentLogger, type Logger } from '../log.ts';
import type { PlanNode } from '../plan/types.ts';
import { ProtocolError, REASONS } from '../protocol/errors.ts';
import { messageToX, xToMessage, type PayloadForm } from '../protocol/seldon-payload.ts';
import { withPlainValues } from '../protocol/packed-body.ts';
import type { SeldonFeedback, SeldonMessage, SeldonMessageList, SeldonMeta, SeldonMetric } from '../protocol/seldon-types.ts';
import { badOutput, callUser, callUserSync, userError, type CallSite } from './_user-call.ts';
import { componentFile, exportedMethods, resolveComponent } from './check.ts';
import { combineMetadata, defaultMetadata } from './metadata.ts';
import type { Component, ComponentContext } from './types.ts';

export interface LoadComponentOptions {
  log?: Logger;
}

type XMethod = 'predict' | 'transformInput' | 'transformOutput';
type XFn = (X: unknown, context: ComponentContext) => unknown;
type RawFn = (message: unknown) => unknown;

const METRIC_TYPES: ReadonlySet<string> = new Set(['COUNTER', 'GAUGE', 'TIMER']);

/** Check, initialise and wrap a component for `node`. Rejects with an error naming the node, method and file. */
export async function loadComponentNode(module: Component, node: PlanNode, options: LoadComponentOptions = {}): Promise<LoadedNode> {
  const log = options.log ?? silentLogger;
  const component = resolveComponent(module, node);
  const file = componentFile(node);
  const parameters = node.implementation.kind === 'component' ? node.implementation.parameters : {};
  const site = (method: string): CallSite => ({ node: node.name, method, file });
  const warn = (message: string): void => log.warn(`node "${node.name}": ${message}`);
  const has = (method: keyof Component): boolean => typeof component[method] === 'function';

  if (component.init !== undefined) {
    try {
      await component.init(parameters);
    } catch (thrown) {
      const cause = userError(site('init'), thrown);
      throw new ProtocolError(`node "${node.name}": init in ${file} failed: ${thrown instanceof Error ? thrown.message : String(thrown)}`, {
        status: 500,
        reason: REASONS.loadFailed,
        node: node.name,
        cause,
      });
    }
  }

  let metricsSink: ((metrics: SeldonMetric[]) => void) | undefined;
  const context = (message: SeldonMessage | undefined): ComponentContext => ({
    names: message?.data?.names ?? [],
    meta: message?.meta ?? {},
    parameters,
  });

  /** The response's meta: the request's (puid, tags, routing, requestPath) + the component's tags and metrics. */
  const responseMeta = (requestMeta: SeldonMeta | undefined): SeldonMeta | undefined => {
    const { metrics: _upstream, ...kept } = requestMeta ?? {};
    const meta: SeldonMeta = kept;
    const tags = has('tags') ? callUserSync(site('tags'), () => component.tags?.()) : undefined;
    if (tags !== undefined && (tags === null || typeof tags !== 'object' || Array.isArray(tags))) {
      warn('tags() did not return an object; it is ignored');
    } else if (tags !== undefined || meta.tags !== undefined) {
      meta.tags = { ...meta.tags, ...tags };
    }
    const metrics = has('metrics') ? validMetrics(callUserSync(site('metrics'), () => component.metrics?.()), warn) : [];
    if (metrics.length > 0) {
      meta.metrics = metrics;
      metricsSink?.(metrics);
    }
    return Object.keys(meta).length === 0 ? undefined : meta;
  };

  const finish = (message: SeldonMessage, requestMeta: SeldonMeta | undefined): SeldonMessage => {
    const meta = responseMeta(requestMeta);
    return meta === undefined ? message : { ...message, meta };
  };

  const encode = (method: string, result: unknown, form: PayloadForm, names: readonly string[] | undefined): SeldonMessage => {
    try {
      return xToMessage(result, form, names);
    } catch (thrown) {
      throw badOutput(site(method), thrown);
    }
  };

  /** `classNames()` when the component has it; else `fallback`. */
  const classNames = (fallback: () => string[] | undefined): string[] | undefined => {
    if (!has('classNames')) return fallback();
    const names = callUserSync(site('classNames'), () => component.classNames?.());
    if (Array.isArray(names) && names.every((n) => typeof n === 'string')) return names;
    warn('classNames() did not return an array of strings; it is ignored');
    return fallback();
  };

  const xHandler = (method: XMethod) => async (message: SeldonMessage): Promise<SeldonMessage> => {
    const { X, form } = messageToX(message);
    const ctx = context(message);
    const fn = component[method] as XFn;
    const result = await callUser(site(method), () => fn.call(component, X, ctx));
    const names = classNames(() => (method === 'predict' ? undefined : ctx.names.length > 0 ? ctx.names : undefined));
    const out = encode(method, result, form, names);
    if (method === 'predict' && !has('classNames')) addDefaultNames(out);
    return finish(out, message.meta);
  };

  const rawHandler = (method: string) => async (input: unknown): Promise<SeldonMessage> => {
    const fn = (component as Record<string, unknown>)[method] as RawFn;
    // A user's component sees tensor values as number[] (its types say so), however they travelled.
    const result = await callUser(site(method), () => fn.call(component, withPlainValues(input)));
    if (result === null || typeof result !== 'object' || Array.isArray(result)) {
      throw badOutput(site(method), new Error(`expected a Seldon message object, received ${Array.isArray(result) ? 'an array' : String(result)}`));
    }
    return result as SeldonMessage;
  };

  const handlers: NodeHandlers = {
    async metadata() {
      const own = has('metadata') ? await callUser(site('metadata'), () => component.metadata?.()) : undefined;
      return combineMetadata(defaultMetadata(node, file, exportedMethods(component)), own, warn);
    },
  };

  for (const method of ['predict', 'transformInput', 'transformOutput'] as const) {
    if (has(`${method}Raw`)) handlers[method] = rawHandler(`${method}Raw`);
    else if (has(method)) handlers[method] = xHandler(method);
  }

  if (has('aggregateRaw')) {
    handlers.aggregate = rawHandler('aggregateRaw');
  } else if (has('aggregate')) {
    handlers.aggregate = async (list: SeldonMessageList): Promise<SeldonMessage> => {
      const payloads = list.seldonMessages.map((m) => messageToX(m));
      const first = list.seldonMessages[0];
      const ctx = context(first);
      const fn = component.aggregate as (Xs: unknown[], context: ComponentContext) => unknown;
      const result = await callUser(site('aggregate'), () => fn.call(component, payloads.map((p) => p.X), ctx));
      const out = encode('aggregate', result, payloads[0]?.form ?? 'ndarray', classNames(() => undefined));
      if (!has('classNames')) addDefaultNames(out);
      return finish(out, mergedMeta(list.seldonMessages));
    };
  }

  if (has('route')) {
    const children = node.children.length;
    handlers.route = async (message: SeldonMessage): Promise<SeldonMessage> => {
      const { X } = messageToX(message);
      const ctx = context(message);
      const fn = component.route as XFn;
      const choice = await callUser(site('route'), () => fn.call(component, X, ctx));
      const valid = typeof choice === 'number' && Number.isInteger(choice) && choice >= -1 && (children === 0 || choice < children);
      if (!valid) {
        const range = children === 0 ? 'an integer child index (or -1)' : `an integer child index in [0, ${children - 1}] (or -1)`;
        throw badOutput(site('route'), new Error(`route returned ${describe(choice)}; expected ${range}`));
      }
      return finish({ data: { ndarray: [[choice]] } }, message.meta);
    };
  }

  if (has('sendFeedback')) {
    handlers.sendFeedback = async (feedback: SeldonFeedback): Promise<SeldonMessage> => {
      const ctx = context(feedback.request);
      const fn = component.sendFeedback as (feedback: SeldonFeedback, context: ComponentContext) => unknown;
      await callUser(site('sendFeedback'), () => fn.call(component, withPlainValues(feedback), ctx));
      const puid = feedback.response?.meta?.puid ?? feedback.request?.meta?.puid;
      return finish({ status: { code: 200, info: 'feedback accepted', reason: 'OK', status: 'SUCCESS' } }, puid === undefined ? undefined : { puid });
    };
  }

  if (has('health')) {
    handlers.health = async () => (await callUser(site('health'), () => component.health?.())) !== false;
  }

  log.info('component loaded', { node: node.name, type: node.type, module: file, methods: exportedMethods(component).join(',') });
  return {
    name: node.name,
    handlers,
    setMetricsSink(sink) {
      metricsSink = sink;
    },
  };
}

/** Seldon's default class names for a 2-D (or higher) numeric result: `t:0 … t:<columns-1>`. */
function addDefaultNames(message: SeldonMessage): void {
  const data = message.data;
  if (data === undefined || data.names !== undefined) return;
  let columns: number | undefined;
  if (data.tensor !== undefined && data.tensor.shape.length >= 2) columns = data.tensor.shape.at(-1);
  else if (data.ndarray !== undefined && Array.isArray(data.ndarray[0]) && data.ndarray.every((row) => Array.isArray(row))) {
    columns = (data.ndarray[0] as unknown[]).length;
  }
  if (columns !== undefined) data.names = Array.from({ length: columns }, (_, i) => `t:${i}`);
}

/** The meta of several messages (a combiner's inputs): the first puid, and every message's tags. */
function mergedMeta(messages: readonly SeldonMessage[]): SeldonMeta | undefined {
  const puid = messages.find((m) => m.meta?.puid !== undefined)?.meta?.puid;
  let tags: Record<string, unknown> | undefined;
  for (const m of messages) if (m.meta?.tags !== undefined) tags = { ...tags, ...m.meta.tags };
  const meta: SeldonMeta = {};
  if (puid !== undefined) meta.puid = puid;
  if (tags !== undefined) meta.tags = tags;
  return Object.keys(meta).length === 0 ? undefined : meta;
}

function validMetrics(value: unknown, warn: (message: string) => void): SeldonMetric[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    warn('metrics() did not return an array; it is ignored');
    return [];
  }
  const out: SeldonMetric[] = [];
  value.forEach((m: unknown, i) => {
    const r = (m ?? {}) as Record<string, unknown>;
    const tags = r['tags'];
    const tagsOk =
      tags === undefined || (tags !== null && typeof tags === 'object' && Object.values(tags).every((v) => typeof v === 'string'));
    if (typeof r['key'] === 'string' && METRIC_TYPES.has(r['type'] as string) && typeof r['value'] === 'number' && Number.isFinite(r['value']) && tagsOk) {
      const metric: SeldonMetric = { key: r['key'], type: r['type'] as SeldonMetric['type'], value: r['value'] };
      if (tags !== undefined) metric.tags = { ...(tags as Record<string, string>) };
      out.push(metric);
    } else {
      warn(`metrics()[${i}] is not {key, type: COUNTER|GAUGE|TIMER, value: number, tags?: {string: string}}; it is skipped`);
    }
  });
  return out;
}

function describe(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return `string ${JSON.stringify(value)}`;
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
}
