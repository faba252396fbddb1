/**
 * @module What each Open Inference Protocol datatype accepts as a JSON element, and the closest valid
 * name for a misspelt one.
 */
import { describeValue } from './_issues.ts';
import { DATATYPES, type Datatype } from './v2-types.ts';

/**
 * Integer ranges. 64-bit integers are limited to what a JSON number carries exactly here (2^53 − 1):
 * a larger value has already lost its low digits when the body was parsed, so it is rejected rather
 * than silently changed.
 */
const INTEGER_RANGES: Partial<Record<Datatype, readonly [number, number]>> = {
  UINT8: [0, 255],
  UINT16: [0, 65_535],
  UINT32: [0, 4_294_967_295],
  UINT64: [0, Number.MAX_SAFE_INTEGER],
  INT8: [-128, 127],
  INT16: [-32_768, 32_767],
  INT32: [-2_147_483_648, 2_147_483_647],
  INT64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

/** Largest finite magnitude of each float type (IEEE 754 half, single, double). */
const FLOAT_MAX: Partial<Record<Datatype, number>> = {
  FP16: 65_504,
  FP32: 3.4028234663852886e38,
  FP64: Number.MAX_VALUE,
};

export function isDatatype(value: unknown): value is Datatype {
  return typeof value === 'string' && (DATATYPES as readonly string[]).includes(value);
}

export function isNumericDatatype(datatype: Datatype): boolean {
  return datatype !== 'BYTES' && datatype !== 'BOOL';
}

export function isIntegerDatatype(datatype: Datatype): boolean {
  return INTEGER_RANGES[datatype] !== undefined;
}

/** What is wrong with `value` as an element of `datatype`, or undefined when it fits. */
export function checkElement(datatype: Datatype, value: unknown): string | undefined {
  if (datatype === 'BYTES') return typeof value === 'string' ? undefined : `expected a string for BYTES, received ${describeValue(value)}`;
  if (datatype === 'BOOL') return typeof value === 'boolean' ? undefined : `expected true or false for BOOL, received ${describeValue(value)}`;
  const range = INTEGER_RANGES[datatype];
  if (range !== undefined) {
    const [min, max] = range;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      const note = datatype.endsWith('64') ? ' (JSON numbers beyond 2^53-1 lose precision)' : '';
      return `expected an integer in [${min}, ${max}] for ${datatype}${note}, received ${describeValue(value)}`;
    }
    return undefined;
  }
  const max = FLOAT_MAX[datatype] ?? Number.MAX_VALUE;
  if (typeof value !== 'number' || !Number.isFinite(value) || Math.abs(value) > max) {
    const hint = typeof value === 'string' ? '; JSON has no NaN or Infinity' : '';
    return `expected a finite number within ±${max} for ${datatype}, received ${describeValue(value)}${hint}`;
  }
  return undefined;
}

/** The valid datatype a misspelt one most likely meant (`fp32` → FP32, `INT322` → INT32), if any is close. */
export function suggestDatatype(text: string): Datatype | undefined {
  const upper = text.toUpperCase();
  if (isDatatype(upper)) return upper;
  let best: Datatype | undefined;
  let bestDistance = 3;
  for (const candidate of DATATYPES) {
    const d = editDistance(upper, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

export function unknownDatatypeMessage(value: unknown): string {
  const suggestion = typeof value === 'string' ? suggestDatatype(value) : undefined;
  const hint = suggestion === undefined ? '' : ` (did you mean ${suggestion}?)`;
  return `unsupported datatype ${describeValue(value)}${hint}; expected one of ${DATATYPES.join(', ')}`;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j] ?? 0;
      row[j] = Math.min((row[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = current;
    }
  }
  return row[b.length] ?? 0;
}
