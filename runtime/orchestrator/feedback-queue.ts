/**
 * @module Rewards that could not reach the state store, kept in this replica's memory and retried until they can.
 *
 * Semantics (README "Router state"):
 * - A reward is queued when the store fails (`StateStoreError`) or is already known to be down. The queue holds at
 *   most `capacity` rewards; one more is refused (`enqueue` returns false: the caller answers 503, nothing is kept).
 * - Retries run in passes, oldest first, after `initialDelayMs`, doubling to `maxDelayMs` while the store keeps
 *   failing, and at once when `kick()` says the store answers again. A reward is applied with its puid, in one atomic
 *   step with the dedupe record, so a retry never counts twice.
 * - A reward older than `maxAgeMs` is dropped ("expired"); one the router refuses is dropped ("rejected"); what is
 *   left when the replica stops (`close`) is dropped ("shutdown"). Drops are counted and the last few listed.
 */
import type { Clock } from '../time/clock.ts';
import { StateStoreError } from '../state/types.ts';

export interface PendingReward {
  router: string;
  arm: number;
  reward: number;
  puid?: string;
}

export type DropReason = 'full' | 'expired' | 'rejected' | 'shutdown';

export interface DroppedReward extends PendingReward {
  reason: DropReason;
  error?: string;
}

export interface FeedbackQueueStats {
  pending: number;
  capacity: number;
  /** Age of the oldest pending reward (ms). */
  oldestPendingMs?: number;
  /** When the next retry pass runs (ms from now). */
  nextRetryInMs?: number;
  queuedTotal: number;
  /** Queued rewards that a retry applied. */
  appliedTotal: number;
  /** Queued rewards that a retry found already applied (their puid was in the store). */
  duplicateTotal: number;
  droppedTotal: Record<DropReason, number>;
  /** Retry passes that met a failing store. */
  failedRetries: number;
  /** The oldest pending rewards (at most `listLimit`). */
  pendingList: Array<PendingReward & { ageMs: number; attempts: number }>;
  /** The most recently dropped rewards (at most `listLimit`). */
  droppedList: DroppedReward[];
}

export interface FeedbackQueue {
  /** Keeps `reward` for retrying; false (and counted as dropped "full") when the queue is full. */
  enqueue(reward: PendingReward, error?: unknown): boolean;
  /** Runs a retry pass now (the store answers again). */
  kick(): void;
  stats(): FeedbackQueueStats;
  /** One last pass within `timeoutMs`; what is left is dropped ("shutdown"). Resolves to the rewards dropped. */
  close(timeoutMs: number): Promise<DroppedReward[]>;
}

export interface FeedbackQueueOptions {
  /** Applies one reward: true when applied, false when its puid was already applied. Throws `StateStoreError` to retry. */
  apply(reward: PendingReward): Promise<boolean>;
  clock: Clock;
  capacity?: number;
  maxAgeMs?: number;
  initialDelayMs?: number;
  maxDelayMs?: number;
  listLimit?: number;
  /** Each retry pass that applied something, and each batch of drops (not "full": the caller reports those). */
  onApplied?: (count: number, pending: number) => void;
  onDropped?: (dropped: DroppedReward[]) => void;
}

interface Item extends PendingReward {
  queuedAt: number;
  attempts: number;
}

export function createFeedbackQueue({
  apply,
  clock,
  capacity = 10_000,
  maxAgeMs = 60 * 60 * 1000,
  initialDelayMs = 500,
  maxDelayMs = 10_000,
  listLimit = 20,
  onApplied = () => {},
  onDropped = () => {},
}: FeedbackQueueOptions): FeedbackQueue {
  const items: Item[] = [];
  const dropped: DroppedReward[] = [];
  const droppedTotal: Record<DropReason, number> = { full: 0, expired: 0, rejected: 0, shutdown: 0 };
  let queuedTotal = 0;
  let appliedTotal = 0;
  let duplicateTotal = 0;
  let failedRetries = 0;
  let delay = initialDelayMs;
  let timer: unknown;
  let dueAt: number | undefined;
  let running: Promise<void> | undefined;
  let closed = false;

  function record(list: DroppedReward[]): void {
    for (const d of list) {
      droppedTotal[d.reason]++;
      dropped.push(d);
    }
    dropped.splice(0, Math.max(0, dropped.length - listLimit));
  }

  function plain({ router, arm, reward, puid }: PendingReward): PendingReward {
    return { router, arm, reward, ...(puid === undefined ? {} : { puid }) };
  }

  function schedule(ms: number): void {
    if (closed || items.length === 0 || running) return;
    if (timer !== undefined) clock.clearTimeout(timer);
    dueAt = clock.now() + ms;
    timer = clock.setTimeout(() => {
      timer = undefined;
      dueAt = undefined;
      void pass();
    }, ms);
  }

  /** Tries every pending reward, oldest first, until the store fails. */
  function pass(): Promise<void> {
    if (running) return running;
    running = (async () => {
      const expired: DroppedReward[] = [];
      const rejected: DroppedReward[] = [];
      let applied = 0;
      let failed = false;
      while (items.length > 0) {
        const item = items[0]!;
        if (clock.now() - item.queuedAt > maxAgeMs) {
          items.shift();
          expired.push({ ...plain(item), reason: 'expired' });
          continue;
        }
        item.attempts++;
        try {
          const first = await apply(plain(item));
          items.shift();
          if (first) appliedTotal++;
          else duplicateTotal++;
          applied++;
        } catch (error) {
          if (error instanceof StateStoreError) {
            failed = true;
            failedRetries++;
            break;
          }
          items.shift();
          rejected.push({ ...plain(item), reason: 'rejected', error: error instanceof Error ? error.message : String(error) });
        }
      }
      const drops = [...expired, ...rejected];
      if (drops.length > 0) {
        record(drops);
        onDropped(drops);
      }
      if (applied > 0) onApplied(applied, items.length);
      delay = failed ? Math.min(maxDelayMs, delay * 2) : initialDelayMs;
    })().finally(() => {
      running = undefined;
      schedule(delay);
    });
    return running;
  }

  return {
    enqueue(reward, error) {
      if (closed || items.length >= capacity) {
        record([{ ...plain(reward), reason: 'full', ...(error instanceof Error ? { error: error.message } : {}) }]);
        return false;
      }
      items.push({ ...plain(reward), queuedAt: clock.now(), attempts: 0 });
      queuedTotal++;
      if (timer === undefined) schedule(delay);
      return true;
    },
    kick() {
      if (closed || items.length === 0) return;
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
      dueAt = undefined;
      delay = initialDelayMs;
      void pass();
    },
    stats() {
      const now = clock.now();
      return {
        pending: items.length,
        capacity,
        ...(items.length > 0 ? { oldestPendingMs: Math.round(now - items[0]!.queuedAt) } : {}),
        ...(dueAt !== undefined ? { nextRetryInMs: Math.max(0, Math.round(dueAt - now)) } : {}),
        queuedTotal,
        appliedTotal,
        duplicateTotal,
        droppedTotal: { ...droppedTotal },
        failedRetries,
        pendingList: items.slice(0, listLimit).map((item) => ({ ...plain(item), ageMs: Math.round(now - item.queuedAt), attempts: item.attempts })),
        droppedList: dropped.map((d) => ({ ...d })),
      };
    },
    async close(timeoutMs) {
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
      dueAt = undefined;
      if (items.length > 0) {
        let timeout: unknown;
        await Promise.race([pass(), new Promise<void>((resolve) => (timeout = clock.setTimeout(resolve, timeoutMs)))]);
        clock.clearTimeout(timeout);
      }
      closed = true;
      if (timer !== undefined) clock.clearTimeout(timer);
      const left = items.splice(0).map((item): DroppedReward => ({ ...plain(item), reason: 'shutdown' }));
      if (left.length > 0) {
        record(left);
        onDropped(left);
      }
      return left;
    },
  };
}
