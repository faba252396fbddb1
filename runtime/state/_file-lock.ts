/**
 * A cross-process lock on one machine: a lock file created with O_EXCL (`open(path, 'wx')`) holding
 * `{pid, host, token, at}`. Waiters retry with jittered exponential backoff until `timeoutMs`.
 *
 * A lock is stale, and is broken, when its holder is a process on this host that no longer exists, or when the file
 * is older than `staleMs` (a crashed holder on another host, a reused pid, a holder that never wrote its contents).
 * Breaking renames the lock file aside first, so that of several waiters breaking one stale lock only one succeeds;
 * one who finds it moved a fresh lock (taken in between) puts it back.
 */
import { randomBytes } from 'node:crypto';
import { link, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { sleep, type Clock } from '../time/clock.ts';
import type { Rng } from '../time/rng.ts';
import { StateStoreError } from './types.ts';

export interface FileLockOptions {
  /** A lock file older than this is stale whatever its holder (ms). */
  staleMs: number;
  /** Give up acquiring after this long (ms). */
  timeoutMs: number;
  clock: Clock;
  rng: Rng;
  /** Wall-clock milliseconds, compared with the lock file's mtime. */
  wallNow: () => number;
}

interface Holder {
  pid: number;
  host: string;
  token: string;
}

const MIN_DELAY_MS = 1;
const MAX_DELAY_MS = 50;

function code(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

function parseHolder(text: string): Holder | undefined {
  try {
    const h = JSON.parse(text) as Partial<Holder>;
    return typeof h.pid === 'number' && typeof h.host === 'string' && typeof h.token === 'string'
      ? { pid: h.pid, host: h.host, token: h.token }
      : undefined;
  } catch {
    return undefined;
  }
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return code(error) === 'EPERM';
  }
}

async function tryCreate(lockPath: string, holder: Holder, at: number): Promise<boolean> {
  let handle;
  try {
    handle = await open(lockPath, 'wx');
  } catch (error) {
    if (code(error) === 'EEXIST') return false;
    throw error;
  }
  try {
    await handle.writeFile(JSON.stringify({ ...holder, at }));
  } finally {
    await handle.close();
  }
  return true;
}

/** Moves a stale lock aside and deletes it, unless what was moved is not the lock judged stale. */
async function breakStale(lockPath: string, observed: string): Promise<void> {
  const aside = `${lockPath}.stale-${randomBytes(6).toString('hex')}`;
  try {
    await rename(lockPath, aside);
  } catch (error) {
    if (code(error) === 'ENOENT') return;
    throw error;
  }
  const moved = await readFile(aside, 'utf8').catch(() => observed);
  if (moved !== observed) {
    // A new holder took the lock between our look and the rename: give it back.
    await link(aside, lockPath).catch(() => {});
  }
  await unlink(aside).catch(() => {});
}

/** Acquires the lock at `lockPath`; resolves to the function that releases it. */
export async function acquireFileLock(lockPath: string, options: FileLockOptions): Promise<() => Promise<void>> {
  const { clock, rng, staleMs, timeoutMs, wallNow } = options;
  const me: Holder = { pid: process.pid, host: hostname(), token: randomBytes(9).toString('hex') };
  const started = clock.now();
  let lastHolder = 'unknown';
  for (let attempt = 0; ; attempt++) {
    if (await tryCreate(lockPath, me, wallNow())) {
      return async function release() {
        const text = await readFile(lockPath, 'utf8').catch(() => '');
        if (parseHolder(text)?.token === me.token) await unlink(lockPath).catch(() => {});
      };
    }
    try {
      const [text, info] = await Promise.all([readFile(lockPath, 'utf8'), stat(lockPath)]);
      const holder = parseHolder(text);
      lastHolder = holder ? `pid ${holder.pid} on ${holder.host}` : 'a holder that has not written its name yet';
      const dead = holder !== undefined && holder.host === me.host && !processExists(holder.pid);
      const old = wallNow() - info.mtimeMs > staleMs;
      if (dead || old) {
        await breakStale(lockPath, text);
        continue;
      }
    } catch (error) {
      if (code(error) === 'ENOENT') continue; // released while we looked
      throw error;
    }
    if (clock.now() - started >= timeoutMs) {
      throw new StateStoreError(
        'file',
        `could not lock ${lockPath} within ${timeoutMs} ms: it is held by ${lastHolder}. If no switchyard process is using this state file, delete the lock file`,
      );
    }
    const ceiling = Math.min(MAX_DELAY_MS, MIN_DELAY_MS * 2 ** Math.min(attempt, 10));
    await sleep(clock, ceiling * (0.5 + 0.5 * rng.next()));
  }
}
