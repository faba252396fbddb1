import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../../runtime/state/memory-store.ts';
import { StateStoreError } from '../../../runtime/state/types.ts';
import { runStateStoreSuite } from '../../conformance/state-store.suite.ts';

runStateStoreSuite('memory', {
  persistent: false,
  create: () => ({ open: () => createMemoryStore() }),
});

describe('memory store', () => {
  it('once forgets the oldest ids past its history bound', async () => {
    const store = createMemoryStore({ onceHistory: 3 });
    for (const id of ['a', 'b', 'c', 'd']) expect(await store.once('k', id)).toBe(true);
    expect(await store.once('k', 'b')).toBe(false);
    expect(await store.once('k', 'a')).toBe(true); // 'a' was the oldest and was forgotten
  });

  it('rejects after close', async () => {
    const store = createMemoryStore();
    await store.close();
    await expect(store.get('k')).rejects.toBeInstanceOf(StateStoreError);
  });

  it('rejects values that are not JSON', async () => {
    const store = createMemoryStore();
    await expect(store.update('k', () => undefined)).rejects.toThrow(/JSON/);
    expect(await store.get('k')).toBeUndefined();
  });
});
