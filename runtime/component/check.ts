/**
 * @module Checking a user's component module against its node before anything runs: the method its node type
 * requires (or its Raw variant) must be a function. A module whose methods live on its default export (an
 * object, or a class with a no-argument constructor) is accepted too.
 */
import type { PlanNode } from '../plan/types.ts';
import { ProtocolError, REASONS } from '../protocol/errors.ts';
import { REQUIRED_METHOD, type Component } from './types.ts';

/** Every method a component may export, in the order messages list them. */
export const COMPONENT_METHODS = [
  'init',
  'predict',
  'predictRaw',
  'transformInput',
  'transformInputRaw',
  'transformOutput',
  'transformOutputRaw',
  'aggregate',
  'aggregateRaw',
  'route',
  'sendFeedback',
  'classNames',
  'health',
  'metadata',
  'metrics',
  'tags',
] as const;

/** The module's file as the graph names it, for messages. */
export function componentFile(node: PlanNode): string {
  return node.implementation.kind === 'component' ? node.implementation.module : '(module not named in the plan)';
}

/** The methods `value` has as functions. */
export function exportedMethods(value: object): string[] {
  return COMPONENT_METHODS.filter((m) => typeof (value as Record<string, unknown>)[m] === 'function');
}

/**
 * The component to call: the module itself, or its default export when that is where the methods are.
 * Throws a `ProtocolError` naming the node, the method and the file when the required method is missing.
 */
export function resolveComponent(module: Component | Record<string, unknown>, node: PlanNode): Component {
  const required = REQUIRED_METHOD[node.type];
  const has = (value: unknown): boolean => {
    if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return false;
    const record = value as Record<string, unknown>;
    return typeof record[required] === 'function' || typeof record[`${required}Raw`] === 'function';
  };
  if (has(module)) return module as Component;
  const fallback = (module as Record<string, unknown>)['default'];
  if (typeof fallback === 'function' && has(fallback.prototype) && fallback.length === 0) {
    return new (fallback as new () => Component)();
  }
  if (typeof fallback === 'object' && has(fallback)) return fallback as Component;

  const file = componentFile(node);
  const found = exportedMethods(module);
  const raw = required === 'route' ? '' : ` (or ${required}Raw)`;
  const value = (module as Record<string, unknown>)[required];
  const notFunction = value === undefined ? '' : ` (its ${required} is a ${typeof value}, not a function)`;
  throw new ProtocolError(
    `node "${node.name}" is a ${node.type}, so its component ${file} must export ${required}${raw}${notFunction}; it exports ${found.length === 0 ? 'no component methods' : found.join(', ')}`,
    { status: 500, reason: REASONS.loadFailed, node: node.name, field: required },
  );
}
