/** @module "Did you mean …?" for misspelt names, keys and options. */

function distance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0]!;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j]!;
      previous[j] = Math.min(above + 1, previous[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length]!;
}

/** The closest candidate to `input`, when it is close enough to be a likely typo. */
export function closest(input: string, candidates: readonly string[]): string | undefined {
  const lower = input.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate === input) continue;
    const d = candidate.toLowerCase() === lower ? 0 : distance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(input.length / 3)) ? best : undefined;
}

/** `did you mean "x"? ` or an empty string. */
export function didYouMean(input: string, candidates: readonly string[]): string {
  const guess = closest(input, candidates);
  return guess === undefined ? '' : `did you mean "${guess}"? `;
}

/** A value as it would be written in YAML flow style, for examples in hints. */
export function yamlInline(value: unknown): string {
  if (typeof value === 'string') {
    const plain = /^[A-Za-z0-9_./:@-][A-Za-z0-9_./:@ -]*$/.test(value) && !/^(true|false|null|yes|no|on|off)$/i.test(value);
    return plain && Number.isNaN(Number(value)) ? value : JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(yamlInline).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.entries(value).map(([k, v]) => `${k}: ${yamlInline(v)}`).join(', ')}}`;
  }
  return String(value);
}
