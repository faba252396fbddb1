/**
 * @module File `StateStore`: all state in one JSON file, shared safely by every process on one machine.
 *
 * File format: `{"version": 1, "values": {key: value}, "seen": {key: [id, …]}}`.
 * - Writes are atomic (temporary file + fsync + rename), so readers (`get`, `list`) never see half a file and take
 *   no lock.
 * - `update`, `once` and `updateOnce` read, change and write the file under a lock file (`<path>.lock`, see `_file-lock.ts`), so
 *   processes on one machine never lose each other's writes. Within a process they are also queued in order, so
 *   one store instance never contends with itself.
 * It is not meant for a network file system shared by several machines: use the Redis store there.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { realClock, type Clock } from '../time/clock.ts';
import { randomRng, type Rng } from '../time/rng.ts';
import { BoundedSet } from './_bounded-set.ts';
import { writeFileAtomic } from './_atomic-write.ts';
import { acquireFileLock } from './_file-lock.ts';
import { DEFAULT_ONCE_HISTORY, jsonCopy, StateStoreError, type StateStore, type UpdateOnceResult } from './types.ts';

export interface FileStoreOptions {
  /** The state file (created with its folder on the first write). */
  path: string;
  /** Ids remembered per key by `once` (default 10 000). */
  onceHistory?: number;
  /** A lock file older than this is broken (default 10 s; a holder keeps it a few milliseconds). */
  lockStaleMs?: number;
  /** How long to wait for the lock before `update`/`once` reject (default 10 s). */
  lockTimeoutMs?: number;
  clock?: Clock;
  /** For backoff jitter. */
  rng?: Rng;
  /** Wall-clock ms, compared with lock files' mtimes. */
  wallNow?: () => number;
}

interface StateFile {
  version: 1;
  values: Record<string, unknown>;
  seen: Record<string, string[]>;
}

function emptyFile(): StateFile {
  return { version: 1, values: {}, seen: {} };
}

export function createFileStore({
  path,
  onceHistory = DEFAULT_ONCE_HISTORY,
  lockStaleMs = 10_000,
  lockTimeoutMs = 10_000,
  clock = realClock,
  rng = randomRng(),
  wallNow = Date.now,
}: FileStoreOptions): StateStore {
  const lockPath = `${path}.lock`;
  let tail: Promise<unknown> = Promise.resolve();
  let closed = false;
  let folderReady: Promise<unknown> | undefined;

  function checkOpen(): void {
    if (closed) throw new StateStoreError('file', `the file state store at ${path} is closed`);
  }

  async function load(): Promise<StateFile> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyFile();
      throw new StateStoreError('file', `cannot read state file ${path}: ${(error as Error).message}`, { cause: error });
    }
    let doc: Partial<StateFile>;
    try {
      doc = JSON.parse(text) as Partial<StateFile>;
    } catch (error) {
      throw new StateStoreError('file', `state file ${path} is not valid JSON (${(error as Error).message}); restore or delete it`, {
        cause: error,
      });
    }
    if (doc === null || typeof doc !== 'object' || doc.version !== 1 || typeof doc.values !== 'object' || doc.values === null) {
      throw new StateStoreError('file', `state file ${path} is not a switchyard state file (expected {"version": 1, "values": {…}}); restore or delete it`);
    }
    return { version: 1, values: doc.values, seen: doc.seen && typeof doc.seen === 'object' ? doc.seen : {} };
  }

  /** Runs `task` with the file locked, after every earlier task of this instance. */
  function exclusive<T>(task: (doc: StateFile) => Promise<{ result: T; write: boolean; doc: StateFile }>): Promise<T> {
    if (closed) return Promise.reject(new StateStoreError('file', `the file state store at ${path} is closed`));
    const run = tail.then(async () => {
      folderReady ??= mkdir(dirname(path), { recursive: true });
      await folderReady;
      const release = await acquireFileLock(lockPath, { staleMs: lockStaleMs, timeoutMs: lockTimeoutMs, clock, rng, wallNow });
      try {
        const out = await task(await load());
        if (out.write) await writeFileAtomic(path, JSON.stringify(out.doc));
        return out.result;
      } finally {
        await release();
      }
    });
    tail = run.catch(() => {});
    return run;
  }

  return {
    kind: 'file',
    location: path,
    async get<T>(key: string) {
      checkOpen();
      const doc = await load();
      return Object.hasOwn(doc.values, key) ? (doc.values[key] as T) : undefined;
    },
    update<T>(key: string, fn: (current: T | undefined) => T) {
      return exclusive(async (doc) => {
        const current = Object.hasOwn(doc.values, key) ? (doc.values[key] as T) : undefined;
        const next = jsonCopy(fn(current));
        doc.values[key] = next;
        return { result: jsonCopy(next), write: true, doc };
      });
    },
    once(key, id) {
      return exclusive(async (doc) => {
        const set = new BoundedSet(onceHistory, doc.seen[key] ?? []);
        const first = set.add(id);
        if (first) doc.seen[key] = set.toArray();
        return { result: first, write: first, doc };
      });
    },
    updateOnce<T>(key: string, id: string, fn: (current: T | undefined) => T) {
      return exclusive<UpdateOnceResult<T>>(async (doc) => {
        const current = Object.hasOwn(doc.values, key) ? (doc.values[key] as T) : undefined;
        const set = new BoundedSet(onceHistory, doc.seen[key] ?? []);
        if (set.has(id)) return { result: { applied: false, value: current === undefined ? undefined : jsonCopy(current) }, write: false, doc };
        const next = jsonCopy(fn(current));
        set.add(id);
        doc.values[key] = next;
        doc.seen[key] = set.toArray();
        return { result: { applied: true, value: jsonCopy(next) }, write: true, doc };
      });
    },
    async list() {
      checkOpen();
      return (await load()).values;
    },
    async close() {
      closed = true;
      await tail;
    },
  } satisfies StateStore;
}
