/**
 * @module Kubernetes resource quantities ("500m", "0.5", "256Mi", "1G", "1e3"): the pattern, and their value
 * as a number so that a request can be compared with its limit.
 */
import { z } from 'zod';

export const QUANTITY_PATTERN = /^([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][0-9]+|Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?$/;

const SUFFIX: Record<string, number> = {
  '': 1,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** The numeric value of a quantity (cores, bytes), or undefined when it is not a quantity. */
export function parseQuantity(quantity: string): number | undefined {
  const match = QUANTITY_PATTERN.exec(quantity);
  if (!match) return undefined;
  const amount = Number(match[1]);
  const suffix = match[3] ?? '';
  if (suffix.startsWith('e') || suffix.startsWith('E')) return amount * 10 ** Number(suffix.slice(1));
  return amount * SUFFIX[suffix]!;
}

/** A quantity field: a string matching Kubernetes' pattern, or a plain non-negative number; outputs a string. */
export function quantitySchema(description: string, examples: Array<string | number>) {
  return z
    .union([
      z.string().regex(QUANTITY_PATTERN, {
        error: 'expected a Kubernetes quantity such as "500m", "2", "256Mi" or "1Gi"',
      }),
      z.number().nonnegative(),
    ])
    .transform((value) => String(value))
    .meta({ description, examples });
}
