/**
 * `LiteHeaders` against Node's own `Headers`: the same operations, in any order, give the same answers and
 * throw the same kind of error.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LiteHeaders } from '../../../runtime/host/lite-fetch/headers.ts';

type Op = ['append' | 'set', string, string] | ['delete', string];

const name = fc.oneof(
  fc.constantFrom('content-type', 'Content-Type', 'set-cookie', 'Set-Cookie', 'x-a', 'X-A', 'accept', 'traceparent'),
  fc.constantFrom('bad name', '', 'x:y', 'é', 'a\nb'),
);
const value = fc.oneof(
  fc.constantFrom('text/plain', ' padded\t', 'a=b; Path=/', '', 'latin1 é', '\r\nx', 'a\0b', 'snow ☃', 'x, y'),
  fc.string({ maxLength: 6 }),
);
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.tuple(fc.constantFrom('append' as const, 'set' as const), name, value),
  fc.tuple(fc.constant('delete' as const), name),
);

/** Applies `op`; returns the error class name it threw, or 'ok'. */
function apply(headers: { append(n: string, v: string): void; set(n: string, v: string): void; delete(n: string): void }, [kind, n, v]: Op | [string, string, string?]): string {
  try {
    if (kind === 'delete') headers.delete(n);
    else (headers as unknown as Record<string, (n: string, v: string) => void>)[kind]!.call(headers, n, v!);
    return 'ok';
  } catch (error) {
    return (error as Error).constructor.name;
  }
}

function snapshot(headers: LiteHeaders | Headers, probe: string[]) {
  return {
    entries: [...headers.entries()],
    keys: [...headers.keys()],
    values: [...headers.values()],
    forEach: (() => {
      const seen: string[][] = [];
      headers.forEach((v, k) => seen.push([k, v]));
      return seen;
    })(),
    cookies: headers.getSetCookie(),
    gets: probe.map((n) => {
      try {
        return [headers.get(n), headers.has(n)];
      } catch (error) {
        return (error as Error).constructor.name;
      }
    }),
  };
}

const PROBE = ['content-type', 'CONTENT-TYPE', 'set-cookie', 'x-a', 'accept', 'traceparent', 'missing', 'bad name'];

describe('LiteHeaders behaves like Node\'s Headers', () => {
  it('for any sequence of append, set and delete', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 12 }), (ops) => {
        const lite = new LiteHeaders();
        const native = new Headers();
        for (const o of ops) expect(apply(lite, o)).toBe(apply(native, o));
        expect(snapshot(lite, PROBE)).toEqual(snapshot(native, PROBE));
      }),
      { numRuns: 400 },
    );
  });

  it('when built from a record, pairs, another Headers (either kind) or nothing', () => {
    const inits: unknown[] = [
      undefined,
      { 'Content-Type': 'application/json', 'X-A': ' 1 ' },
      [['set-cookie', 'a=1'], ['Set-Cookie', 'b=2'], ['x-a', '1'], ['X-A', '2']],
      new Headers([['accept', '*/*'], ['set-cookie', 'c=3']]),
      new LiteHeaders([['accept', '*/*'], ['set-cookie', 'c=3']]),
    ];
    for (const init of inits) {
      const lite = new LiteHeaders(init as never);
      const native = new Headers(init instanceof LiteHeaders ? [...init] : (init as ConstructorParameters<typeof Headers>[0]));
      expect(snapshot(lite, PROBE)).toEqual(snapshot(native, PROBE));
    }
  });

  it('refuses what Headers refuses: bad pairs, bad names, bad values', () => {
    for (const init of [[['a']], [['a', 'b', 'c']], [5], { 'bad name': 'x' }, { a: 'line\nbreak' }]) {
      expect(() => new Headers(init as ConstructorParameters<typeof Headers>[0])).toThrow(TypeError);
      expect(() => new LiteHeaders(init as never)).toThrow(TypeError);
    }
    expect(() => new LiteHeaders({ 'bad name': 'x' })).toThrow(/"bad name" is not a valid header name/);
  });

  it('converts to node:http headers and back from rawHeaders', () => {
    const h = new LiteHeaders([['Content-Type', 'text/plain'], ['set-cookie', 'a=1'], ['set-cookie', 'b=2'], ['X-A', '1'], ['x-a', '2']]);
    expect(LiteHeaders.toNode(h)).toEqual({ 'content-type': 'text/plain', 'x-a': '1, 2', 'set-cookie': ['a=1', 'b=2'] });
    const raw = LiteHeaders.fromRaw(['Host', 'x', 'Accept', ' a ', 'accept', 'b', 'Set-Cookie', 'c=1', 'set-cookie', 'd=2']);
    expect([...raw]).toEqual([['accept', 'a, b'], ['host', 'x'], ['set-cookie', 'c=1'], ['set-cookie', 'd=2']]);
    expect(String(Object.prototype.toString.call(raw))).toBe('[object Headers]');
  });
});
