import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileStore } from '../../../runtime/state/file-store.ts';
import { createStateStore } from '../../../runtime/state/index.ts';
import { StateStoreError } from '../../../runtime/state/types.ts';
import { runStateStoreSuite } from '../../conformance/state-store.suite.ts';

let root: string;
let serial = 0;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'switchyard-file-store-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});
const newPath = () => join(root, `case-${++serial}`, 'state.json');

runStateStoreSuite('file', {
  persistent: true,
  create: () => {
    const path = newPath();
    return { open: () => createFileStore({ path }) };
  },
});

const WORKER = fileURLToPath(new URL('./_file-store-worker.ts', import.meta.url));

/** Starts a worker and resolves once it printed "ready"; `exited` resolves with its exit code and stderr. */
function startWorker(path: string, count: number, goFile: string) {
  const child = spawn(process.execPath, [WORKER, path, String(count), goFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) before it was ready: ${stderr}`)));
  });
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.once('exit', (code) => resolve({ code, stderr })),
  );
  return { ready, exited };
}

function deadPid(): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', () => resolve(child.pid!));
  });
}

describe('file store across processes', () => {
  it('two child processes and this one incrementing together: the count is exact', async () => {
    const path = newPath();
    const goFile = join(root, `go-${serial}`);
    const workers = [startWorker(path, 150, goFile), startWorker(path, 150, goFile)];
    await Promise.all(workers.map((w) => w.ready));
    const here = createFileStore({ path, lockTimeoutMs: 30_000 });
    await writeFile(goFile, '');
    await Promise.all(Array.from({ length: 100 }, () => here.update<{ n: number }>('count', (c) => ({ n: (c?.n ?? 0) + 1 }))));
    const results = await Promise.all(workers.map((w) => w.exited));
    expect(results).toEqual([
      { code: 0, stderr: '' },
      { code: 0, stderr: '' },
    ]);
    expect(await here.get('count')).toEqual({ n: 400 });
    await here.close();
  }, 60_000);
});

describe('file store locking and files', () => {
  it('breaks a lock whose holder process is dead', async () => {
    const path = newPath();
    const store = createFileStore({ path, lockTimeoutMs: 2000 });
    await store.update('k', () => 1);
    await writeFile(`${path}.lock`, JSON.stringify({ pid: await deadPid(), host: hostname(), token: 'dead', at: Date.now() }));
    expect(await store.update<number>('k', (n) => n! + 1)).toBe(2);
    await expect(stat(`${path}.lock`)).rejects.toMatchObject({ code: 'ENOENT' });
    await store.close();
  });

  it('breaks a lock older than lockStaleMs even when its holder is alive', async () => {
    const path = newPath();
    const store = createFileStore({ path, lockStaleMs: 10_000, lockTimeoutMs: 2000 });
    await store.update('k', () => 1);
    const lock = `${path}.lock`;
    await writeFile(lock, JSON.stringify({ pid: process.pid, host: hostname(), token: 'old', at: 0 }));
    const minuteAgo = new Date(Date.now() - 60_000);
    await utimes(lock, minuteAgo, minuteAgo);
    expect(await store.update<number>('k', (n) => n! + 1)).toBe(2);
    await store.close();
  });

  it('breaks an old, empty lock file (a holder that died before writing its name)', async () => {
    const path = newPath();
    const store = createFileStore({ path, lockStaleMs: 1000, lockTimeoutMs: 2000 });
    await store.update('k', () => 1);
    const lock = `${path}.lock`;
    await writeFile(lock, '');
    const old = new Date(Date.now() - 5000);
    await utimes(lock, old, old);
    expect(await store.update<number>('k', (n) => n! + 1)).toBe(2);
    await store.close();
  });

  it('waits for a live, fresh lock and rejects with a clear StateStoreError after lockTimeoutMs', async () => {
    const path = newPath();
    const store = createFileStore({ path, lockTimeoutMs: 150 });
    await store.update('k', () => 1);
    await writeFile(`${path}.lock`, JSON.stringify({ pid: process.pid, host: hostname(), token: 'live', at: Date.now() }));
    const failure = store.update<number>('k', (n) => n! + 1);
    await expect(failure).rejects.toBeInstanceOf(StateStoreError);
    await expect(failure).rejects.toThrow(`held by pid ${process.pid} on ${hostname()}`);
    // The holder lets go: the store works again and nothing was lost.
    await rm(`${path}.lock`);
    expect(await store.update<number>('k', (n) => n! + 1)).toBe(2);
    await store.close();
  });

  it('leaves no temporary or lock files behind, and writes the documented format', async () => {
    const path = newPath();
    const store = createFileStore({ path });
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.update(`k${i % 2}`, () => i)));
    await store.once('k0', 'p1');
    await store.close();
    expect(await readdir(join(path, '..'))).toEqual(['state.json']);
    const doc = JSON.parse(await readFile(path, 'utf8'));
    expect(doc).toEqual({ version: 1, values: { k0: 18, k1: 19 }, seen: { k0: ['p1'] } });
  });

  it('a state file that is not JSON is reported with its path, and the lock is released', async () => {
    const path = newPath();
    const store = createFileStore({ path });
    await store.update('k', () => 1);
    await writeFile(path, '{ not json');
    await expect(store.get('k')).rejects.toThrow(`state file ${path} is not valid JSON`);
    await expect(store.update('k', () => 2)).rejects.toBeInstanceOf(StateStoreError);
    await expect(stat(`${path}.lock`)).rejects.toMatchObject({ code: 'ENOENT' });
    await store.close();
  });

  it('once keeps a bounded history in the file', async () => {
    const path = newPath();
    const store = createFileStore({ path, onceHistory: 2 });
    for (const id of ['a', 'b', 'c']) expect(await store.once('k', id)).toBe(true);
    expect(await store.once('k', 'c')).toBe(false);
    expect(await store.once('k', 'a')).toBe(true);
    expect(JSON.parse(await readFile(path, 'utf8')).seen.k).toEqual(['c', 'a']);
    await store.close();
  });

  it('rejects updates after close, but finishes the ones queued before', async () => {
    const path = newPath();
    const store = createFileStore({ path });
    const pending = Promise.all(Array.from({ length: 5 }, () => store.update<number>('k', (n) => (n ?? 0) + 1)));
    await store.close();
    await pending;
    await expect(store.update('k', () => 0)).rejects.toThrow(/closed/);
    const again = createFileStore({ path });
    expect(await again.get('k')).toBe(5);
    await again.close();
  });

  it('createStateStore resolves a relative path against baseDir', async () => {
    const baseDir = join(root, `base-${++serial}`);
    const store = createStateStore({ kind: 'file', path: 'data/routers.json' }, { baseDir });
    await store.update('k', () => 'v');
    await store.close();
    expect(JSON.parse(await readFile(join(baseDir, 'data/routers.json'), 'utf8')).values).toEqual({ k: 'v' });
  });
});
