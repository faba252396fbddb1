/**
 * `deferredStore`: the store opened on first use (so an orchestrator whose state is not in Redis never loads
 * ioredis), behaving as the store it wraps.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { deferredStore } from '../../../runtime/state/deferred-store.ts';
import { createFileStore } from '../../../runtime/state/file-store.ts';
import { createStateStore } from '../../../runtime/state/index.ts';
import { createMemoryStore } from '../../../runtime/state/memory-store.ts';
import { StateStoreError, type StateStore } from '../../../runtime/state/types.ts';
import { runStateStoreSuite } from '../../conformance/state-store.suite.ts';

runStateStoreSuite('file (opened on first use: deferredStore)', {
  persistent: true,
  create: async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-deferred-'));
    const file = path.join(dir, 'state.json');
    return {
      open: () => deferredStore('file', file, async () => createFileStore({ path: file })),
      dispose: () => rm(dir, { recursive: true, force: true }),
    };
  },
});

describe('deferredStore', () => {
  it('opens the store once, on the first call, however many calls come at once', async () => {
    let opened = 0;
    const store = deferredStore('memory', 'this process', async () => {
      opened++;
      return createMemoryStore();
    });
    expect([store.kind, store.location, opened]).toEqual(['memory', 'this process', 0]);
    await Promise.all([store.update('k', () => 1), store.get('k'), store.once('k', 'id'), store.list()]);
    expect(opened).toBe(1);
    expect(await store.get('k')).toBe(1);
    await store.close();
  });

  it('closed before its first call, it never opens and rejects every call like a closed store', async () => {
    let opened = 0;
    const store = deferredStore('redis', 'redis://host:6379', async () => {
      opened++;
      return createMemoryStore();
    });
    await store.close();
    const error = await store.get('k').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateStoreError);
    expect((error as Error).message).toBe('the redis state store at redis://host:6379 is closed');
    expect(opened).toBe(0);
  });

  it('closes the store it opened', async () => {
    let inner: StateStore | undefined;
    const store = deferredStore('memory', 'this process', async () => (inner = createMemoryStore()));
    await store.update('k', () => 1);
    await store.close();
    await expect(inner!.get('k')).rejects.toBeInstanceOf(StateStoreError);
  });
});

describe('createStateStore for Redis', () => {
  it('checks the URL at once, naming it without its password', () => {
    expect(() => createStateStore({ kind: 'redis', url: 'http://user:secret@host:6379' })).toThrow(
      new StateStoreError('redis', 'state store URL http://user:***@host:6379/ must start with redis:// or rediss://'),
    );
  });

  it('connects to nothing until used', async () => {
    const store = createStateStore({ kind: 'redis', url: 'redis://user:secret@127.0.0.1:1/0' });
    expect([store.kind, store.location]).toEqual(['redis', 'redis://user:***@127.0.0.1:1/0']);
    await store.close();
  });
});
