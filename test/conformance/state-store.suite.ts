/**
 * @module The one suite every `StateStore` implementation runs (memory, file, Redis).
 *
 *   runStateStoreSuite('file', { persistent: true, create: async () => { … return { open, dispose } } });
 *
 * `create` makes a fresh, empty backing (a new file, a new Redis key prefix); `open` opens a store instance over it,
 * and may be called several times to get independent instances over the same data (for persistence and
 * cross-instance concurrency). Instances opened by a test are closed by the suite.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { StateStore } from '../../runtime/state/types.ts';

export interface StateStoreBacking {
  open(): Promise<StateStore> | StateStore;
  dispose?(): Promise<void>;
}

export interface StateStoreSuiteOptions {
  create(): Promise<StateStoreBacking> | StateStoreBacking;
  /** Whether data outlives a store instance (file, Redis), so a second `open` sees what the first wrote. */
  persistent: boolean;
}

interface Counter {
  n: number;
}

export function runStateStoreSuite(name: string, { create, persistent }: StateStoreSuiteOptions): void {
  describe(`StateStore conformance: ${name}`, () => {
    const cleanups: Array<() => Promise<void>> = [];
    afterEach(async () => {
      while (cleanups.length > 0) await cleanups.pop()!();
    });

    async function backing(): Promise<StateStoreBacking> {
      const b = await create();
      if (b.dispose) cleanups.push(() => b.dispose!());
      return b;
    }
    async function open(b: StateStoreBacking): Promise<StateStore> {
      const store = await b.open();
      cleanups.push(() => store.close());
      return store;
    }
    async function fresh(): Promise<StateStore> {
      return open(await backing());
    }

    it('get of a missing key is undefined; list of an empty store is {}', async () => {
      const store = await fresh();
      expect(await store.get('nothing')).toBeUndefined();
      expect(await store.list()).toEqual({});
    });

    it('update passes undefined first, stores and returns the result, and get reads it back', async () => {
      const store = await fresh();
      const seen: unknown[] = [];
      const first = await store.update<Counter>('c', (cur) => (seen.push(cur), { n: (cur?.n ?? 0) + 1 }));
      const second = await store.update<Counter>('c', (cur) => (seen.push(cur), { n: (cur?.n ?? 0) + 1 }));
      expect(seen).toEqual([undefined, { n: 1 }]);
      expect(first).toEqual({ n: 1 });
      expect(second).toEqual({ n: 2 });
      expect(await store.get('c')).toEqual({ n: 2 });
    });

    it('round-trips nested JSON and keeps keys apart', async () => {
      const store = await fresh();
      const value = { arms: [{ pulls: 3, rewardSum: 1.5 }, { pulls: 0, rewardSum: 0 }], label: 'ü ☃', ok: true, none: null };
      await store.update('router:a', () => value);
      await store.update('router:b', () => [1, 2, 3]);
      await store.update('plain', () => 'text');
      expect(await store.get('router:a')).toEqual(value);
      expect(await store.get('router:b')).toEqual([1, 2, 3]);
      expect(await store.get('plain')).toBe('text');
      expect(await store.list()).toEqual({ 'router:a': value, 'router:b': [1, 2, 3], plain: 'text' });
    });

    it('hands out copies: changing a returned value does not change the store', async () => {
      const store = await fresh();
      const input = { list: [1] };
      const returned = await store.update('k', () => input);
      input.list.push(2);
      returned.list.push(3);
      const got = (await store.get<{ list: number[] }>('k'))!;
      got.list.push(4);
      expect(await store.get('k')).toEqual({ list: [1] });
    });

    it('an update function that throws rejects with its error, stores nothing, and the store goes on working', async () => {
      const store = await fresh();
      await store.update<Counter>('k', () => ({ n: 1 }));
      const boom = new Error('boom');
      await expect(store.update<Counter>('k', () => { throw boom; })).rejects.toBe(boom);
      expect(await store.get('k')).toEqual({ n: 1 });
      expect(await store.update<Counter>('k', (c) => ({ n: c!.n + 1 }))).toEqual({ n: 2 });
    });

    it('200 concurrent increments of one key from one instance give exactly 200', async () => {
      const store = await fresh();
      await Promise.all(Array.from({ length: 200 }, () => store.update<Counter>('count', (c) => ({ n: (c?.n ?? 0) + 1 }))));
      expect(await store.get('count')).toEqual({ n: 200 });
    });

    it('concurrent updates of different keys do not disturb each other', async () => {
      const store = await fresh();
      await Promise.all(
        Array.from({ length: 60 }, (_, i) => store.update<Counter>(`k${i % 3}`, (c) => ({ n: (c?.n ?? 0) + 1 }))),
      );
      expect(await store.list()).toEqual({ k0: { n: 20 }, k1: { n: 20 }, k2: { n: 20 } });
    });

    it('once is true the first time an id is seen for a key, false after; keys are separate', async () => {
      const store = await fresh();
      expect(await store.once('feedback', 'puid-1')).toBe(true);
      expect(await store.once('feedback', 'puid-1')).toBe(false);
      expect(await store.once('feedback', 'puid-2')).toBe(true);
      expect(await store.once('other', 'puid-1')).toBe(true);
      expect(await store.list()).toEqual({});
    });

    it('concurrent once calls with one id: exactly one wins', async () => {
      const store = await fresh();
      const results = await Promise.all(Array.from({ length: 20 }, () => store.once('feedback', 'same')));
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('says which backend it is and where', async () => {
      const store = await fresh();
      expect(store.kind).toBe(name.split(' ')[0]);
      expect(store.location).not.toBe('');
      expect(store.location).not.toMatch(/:[^:@/]+@/); // never a password
    });

    it('updateOnce applies an id the first time only, and shares the once history of its key', async () => {
      const store = await fresh();
      const inc = (c: Counter | undefined) => ({ n: (c?.n ?? 0) + 1 });
      expect(await store.updateOnce<Counter>('c', 'p1', inc)).toEqual({ applied: true, value: { n: 1 } });
      expect(await store.updateOnce<Counter>('c', 'p1', inc)).toEqual({ applied: false, value: { n: 1 } });
      expect(await store.updateOnce<Counter>('c', 'p2', inc)).toEqual({ applied: true, value: { n: 2 } });
      expect(await store.once('c', 'p2')).toBe(false);
      expect(await store.once('c', 'p3')).toBe(true);
      expect(await store.updateOnce<Counter>('c', 'p3', inc)).toEqual({ applied: false, value: { n: 2 } });
      expect(await store.updateOnce<Counter>('other', 'p1', inc)).toEqual({ applied: true, value: { n: 1 } });
      expect(await store.list()).toEqual({ c: { n: 2 }, other: { n: 1 } });
    });

    it('updateOnce with a throwing function stores nothing and does not use up the id', async () => {
      const store = await fresh();
      const boom = new Error('boom');
      await expect(store.updateOnce<Counter>('c', 'p1', () => { throw boom; })).rejects.toBe(boom);
      expect(await store.get('c')).toBeUndefined();
      expect(await store.updateOnce<Counter>('c', 'p1', () => ({ n: 1 }))).toEqual({ applied: true, value: { n: 1 } });
    });

    it('100 concurrent updateOnce calls, 50 ids each sent twice: exactly 50 applied', async () => {
      const store = await fresh();
      const results = await Promise.all(
        Array.from({ length: 100 }, (_, i) => store.updateOnce<Counter>('count', `id-${i % 50}`, (c) => ({ n: (c?.n ?? 0) + 1 }))),
      );
      expect(results.filter((r) => r.applied)).toHaveLength(50);
      expect(await store.get('count')).toEqual({ n: 50 });
    });

    it('close is idempotent', async () => {
      const b = await backing();
      const store = await b.open();
      await store.close();
      await store.close();
    });

    if (persistent) {
      it('data outlives the instance: a new instance reads values and once history', async () => {
        const b = await backing();
        const first = await b.open();
        await first.update<Counter>('c', () => ({ n: 7 }));
        expect(await first.once('feedback', 'p1')).toBe(true);
        await first.close();
        const second = await open(b);
        expect(await second.get('c')).toEqual({ n: 7 });
        expect(await second.list()).toEqual({ c: { n: 7 } });
        expect(await second.once('feedback', 'p1')).toBe(false);
      });

      it('two instances over the same data: 2 × 100 concurrent increments give exactly 200', async () => {
        const b = await backing();
        const [x, y] = [await open(b), await open(b)];
        const inc = (s: StateStore) => s.update<Counter>('count', (c) => ({ n: (c?.n ?? 0) + 1 }));
        await Promise.all(Array.from({ length: 200 }, (_, i) => inc(i % 2 === 0 ? x : y)));
        expect(await x.get('count')).toEqual({ n: 200 });
        expect(await y.get('count')).toEqual({ n: 200 });
      });

      it('two instances, 2 × 60 concurrent updateOnce calls over 80 ids (40 sent to both): exactly 80 applied', async () => {
        const b = await backing();
        const [x, y] = [await open(b), await open(b)];
        const ids = Array.from({ length: 120 }, (_, i) => (i < 80 ? `id-${i}` : `id-${i - 80}`));
        const results = await Promise.all(
          // An id and its repeat go to different instances.
          ids.map((id, i) => ((i < 80 ? i : i + 1) % 2 ? x : y).updateOnce<Counter>('count', id, (c) => ({ n: (c?.n ?? 0) + 1 }))),
        );
        expect(results.filter((r) => r.applied)).toHaveLength(80);
        expect(await x.get('count')).toEqual({ n: 80 });
        // The history outlives the instances too.
        await x.close();
        const z = await open(b);
        expect((await z.updateOnce<Counter>('count', 'id-7', () => ({ n: -1 }))).applied).toBe(false);
      });

      it('two instances racing once on one id: exactly one wins', async () => {
        const b = await backing();
        const [x, y] = [await open(b), await open(b)];
        const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? x : y).once('fb', 'id')));
        expect(results.filter(Boolean)).toHaveLength(1);
      });
    }
  });
}
