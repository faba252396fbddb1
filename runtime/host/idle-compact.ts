/**
 * @module Give memory back when a replica goes idle: one full, compacting garbage collection after each busy period.
 *
 * Under load V8 grows its young generation (up to 16 MiB per semi-space) and keeps it; left to itself it gives it
 * back only much later, so an idle replica that served traffic holds memory it no longer uses. Here, once no
 * request has come for `idleMs` after some have, the heap is collected with V8's "last resort" flavour, which
 * also shrinks the young generation and releases free pages (bench/: memory, about 4 to 5 MiB per idle replica).
 * It runs once per idle period, never during traffic, so throughput is not touched. Native memory (a model's
 * weights, onnxruntime's arenas) is not V8's and stays.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import type { Clock } from '../time/clock.ts';

export const DEFAULT_IDLE_COMPACT_MS = 2000;

export interface IdleCompactOptions {
  /** A counter that grows with every request served (HTTP and frames together). */
  activity: () => number;
  /** Quiet time before compacting. */
  idleMs?: number;
  clock: Clock;
  /** What compacting does (default: the major collection below). */
  compact?: () => void;
}

export interface IdleCompactHandle {
  /** Compactions done so far. */
  count(): number;
  stop(): void;
}

/**
 * Checks every `idleMs`: when the counter has not moved since the last check but has moved since the last
 * compaction, compacts. A replica that never serves anything is never compacted (it has nothing to give back).
 */
export function compactWhenIdle({ activity, idleMs = DEFAULT_IDLE_COMPACT_MS, clock, compact = majorCollection }: IdleCompactOptions): IdleCompactHandle {
  let seen = activity();
  let compactedAt = seen;
  let count = 0;
  let handle: unknown;
  let stopped = false;
  const check = () => {
    if (stopped) return;
    const now = activity();
    if (now === seen && now !== compactedAt) {
      compactedAt = now;
      count++;
      compact();
    }
    seen = now;
    schedule();
  };
  const schedule = () => {
    handle = clock.setTimeout(check, idleMs);
    (handle as { unref?: () => void } | undefined)?.unref?.();
  };
  schedule();
  return {
    count: () => count,
    stop() {
      stopped = true;
      clock.clearTimeout(handle);
    },
  };
}

let collect: ((options: object) => void) | undefined;

/**
 * A full, compacting collection that also shrinks the young generation. `gc` is taken from a fresh context
 * after turning on `--expose-gc`, so it is not a global the function's own code sees.
 */
export function majorCollection(): void {
  if (collect === undefined) {
    v8.setFlagsFromString('--expose-gc');
    collect = vm.runInNewContext('gc') as (options: object) => void;
  }
  collect({ type: 'major', execution: 'sync', flavor: 'last-resort' });
}
