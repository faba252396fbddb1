/**
 * @module A field path into a Seldon message, as a switch router's cases name one: `meta.tags.tier`,
 * `data.ndarray[0][2]`, `data.tensor.values[3]`, `jsonData.user.country`, `strData`.
 *
 * Keys are separated by dots and may hold letters, digits, `_` and `-` (not starting with a digit); array
 * elements are `[n]`. Reading follows own properties only, so `constructor` or `__proto__` never reach
 * an object's prototype: a path that leads nowhere reads as `undefined`.
 */

export type FieldPath = readonly (string | number)[];

const SEGMENT = /^([A-Za-z_][A-Za-z0-9_-]*)((?:\[\d+\])*)$/;

/** Why `text` is not a field path, or undefined when it is one. */
export function fieldPathProblem(text: string): string | undefined {
  if (text === '') return 'is empty; write a path such as meta.tags.tier or data.ndarray[0][1]';
  for (const segment of text.split('.')) {
    if (segment === '') return 'has an empty key (two dots in a row, or a dot at an end); write a path such as meta.tags.tier or data.ndarray[0][1]';
    if (!SEGMENT.test(segment)) {
      return `has "${segment}", which is not a key (letters, digits, _ and -, not starting with a digit) followed by [n] indices; write a path such as meta.tags.tier or data.ndarray[0][1]`;
    }
  }
  return undefined;
}

/** The keys and indices of `text`; throws an Error saying what is wrong when it is not a field path. */
export function parseFieldPath(text: string): FieldPath {
  const problem = fieldPathProblem(text);
  if (problem !== undefined) throw new Error(`field path "${text}" ${problem}`);
  const path: (string | number)[] = [];
  for (const segment of text.split('.')) {
    const [, key, indices] = SEGMENT.exec(segment)!;
    path.push(key!);
    for (const index of indices!.matchAll(/\[(\d+)\]/g)) path.push(Number(index[1]));
  }
  return path;
}

/** The value at `path` in `value`, or undefined when the path leads nowhere. */
export function readField(value: unknown, path: FieldPath): unknown {
  let current: unknown = value;
  for (const step of path) {
    if (current === null || typeof current !== 'object') return undefined;
    if (typeof step === 'number') {
      if (!Array.isArray(current) && !ArrayBuffer.isView(current)) return undefined;
      const list = current as unknown as ArrayLike<unknown>;
      if (step >= list.length) return undefined;
      current = list[step];
    } else {
      if (Array.isArray(current) || ArrayBuffer.isView(current) || !Object.hasOwn(current, step)) return undefined;
      current = (current as Record<string, unknown>)[step];
    }
  }
  return current;
}
