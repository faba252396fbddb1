/**
 * @module Durations in the graph file: "500ms", "30s", "1m", "1h" (or combinations such as "1m30s"), or a
 * plain number of seconds. The schema's output is milliseconds.
 */
import { z } from 'zod';

export const DURATION_PATTERN = /^(\d+(\.\d+)?(ms|s|m|h))+$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

export const SECOND_MS = 1000;
export const MINUTE_MS = 60 * SECOND_MS;
export const HOUR_MS = 60 * MINUTE_MS;

/** Milliseconds of a duration string or a number of seconds; undefined when it is not one. */
export function parseDuration(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.round(value * 1000) : undefined;
  if (!DURATION_PATTERN.test(value)) return undefined;
  let ms = 0;
  for (const [, amount, , unit] of value.matchAll(/(\d+(\.\d+)?)(ms|s|m|h)/g)) ms += Number(amount) * UNIT_MS[unit!]!;
  return Math.round(ms);
}

/** The shortest exact spelling of a number of milliseconds: 3600000 → "1h", 1500 → "1500ms". */
export function formatDuration(ms: number): string {
  if (ms !== 0 && ms % HOUR_MS === 0) return `${ms / HOUR_MS}h`;
  if (ms !== 0 && ms % MINUTE_MS === 0) return `${ms / MINUTE_MS}m`;
  if (ms % SECOND_MS === 0) return `${ms / SECOND_MS}s`;
  return `${ms}ms`;
}

export interface DurationRule {
  /** Smallest allowed value in ms. */
  minMs: number;
  /** Largest allowed value in ms. */
  maxMs: number;
  /** `minMs` itself is not allowed (e.g. "must be positive"). */
  exclusiveMin?: boolean;
  /** Knative only takes whole seconds for some knobs. */
  wholeSeconds?: boolean;
  description: string;
  examples: Array<string | number>;
}

function rangeText(rule: DurationRule): string {
  const low = rule.exclusiveMin ? `more than ${formatDuration(rule.minMs)}` : `from ${formatDuration(rule.minMs)}`;
  return `a duration ${low} to ${formatDuration(rule.maxMs)}`;
}

/** A duration field: accepts a string or a number of seconds, checks the range, outputs milliseconds. */
export function durationSchema(rule: DurationRule) {
  const range = rangeText(rule);
  return z
    .union([
      z.string().regex(DURATION_PATTERN, {
        error: 'expected a duration such as "500ms", "30s", "1m" or "1h", or a number of seconds',
      }),
      z.number(),
    ])
    .transform((value, ctx) => {
      const ms = parseDuration(value) ?? Number.NaN;
      const low = rule.exclusiveMin ? ms <= rule.minMs : ms < rule.minMs;
      if (Number.isNaN(ms) || low || ms > rule.maxMs) {
        ctx.issues.push({
          code: 'custom',
          input: value,
          message: `expected ${range}`,
          params: { code: 'out_of_range', hint: `write ${range}, e.g. ${rule.examples[0]}` },
        });
      } else if (rule.wholeSeconds && ms % SECOND_MS !== 0) {
        ctx.issues.push({
          code: 'custom',
          input: value,
          message: 'expected whole seconds (Knative takes this setting with second precision)',
          params: { code: 'invalid_format', hint: `write ${formatDuration(Math.round(ms / SECOND_MS) * SECOND_MS)}` },
        });
      }
      return ms;
    })
    .meta({ description: rule.description, examples: rule.examples });
}
