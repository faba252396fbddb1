/**
 * @module Kubernetes resource quantities ("500m", "1Gi", "1e3"): the CRD's pattern, and their value as a number
 * so that a request can be compared with its limit.
 */

/** The pattern that the Knative CRD puts on `resources.requests`/`limits` values (the apiserver answers 422). */
export const QUANTITY_PATTERN =
  /^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$/;

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** The value of a quantity (in base units: cores, bytes), or `undefined` when it does not match the pattern. */
export function quantityValue(quantity: string): number | undefined {
  if (!QUANTITY_PATTERN.test(quantity)) return undefined;
  const match = /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(.*)$/.exec(quantity);
  if (match === null) return undefined;
  const number = Number(match[1]);
  const suffix = match[2] ?? '';
  if (suffix in BINARY) return number * (BINARY[suffix] ?? 1);
  if (suffix in DECIMAL) return number * (DECIMAL[suffix] ?? 1);
  return number * 10 ** Number(suffix.slice(1));
}
