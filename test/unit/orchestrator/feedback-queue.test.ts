import { describe, expect, it } from 'vitest';
import { createFeedbackQueue, type PendingReward } from '../../../runtime/orchestrator/feedback-queue.ts';
import { StateStoreError } from '../../../runtime/state/types.ts';
import { flushMicrotasks, ManualClock } from '../../helpers/manual-clock.ts';

/** A store stand-in that fails with a StateStoreError while `down`, and records what it applied (once per puid). */
function target() {
  const applied: PendingReward[] = [];
  const seen = new Set<string>();
  const t = {
    down: true,
    calls: 0,
    applied,
    async apply(reward: PendingReward): Promise<boolean> {
      t.calls++;
      if (t.down) throw new StateStoreError('redis', 'connect ECONNREFUSED');
      if (reward.puid !== undefined && seen.has(reward.puid)) return false;
      if (reward.puid !== undefined) seen.add(reward.puid);
      applied.push(reward);
      return true;
    },
  };
  return t;
}

const reward = (i: number): PendingReward => ({ router: 'bandit', arm: i % 2, reward: 1, puid: `p${i}` });

describe('feedback queue', () => {
  it('retries with doubling delays while the store fails, then applies everything, oldest first', async () => {
    const clock = new ManualClock();
    const t = target();
    const queue = createFeedbackQueue({ apply: (r) => t.apply(r), clock, initialDelayMs: 100, maxDelayMs: 400 });
    expect(queue.enqueue(reward(1))).toBe(true);
    expect(queue.enqueue(reward(2))).toBe(true);
    expect(queue.stats()).toMatchObject({ pending: 2, queuedTotal: 2, nextRetryInMs: 100 });

    const callsAt: number[] = [];
    const realApply = t.apply;
    t.apply = async (r) => (callsAt.push(clock.now()), realApply(r));
    await clock.advanceAsync(1600);
    // Passes at 100, then +200, +400, +400, +400 (capped): each stops at the first failure.
    expect(callsAt).toEqual([100, 300, 700, 1100, 1500]);
    expect(queue.stats()).toMatchObject({ pending: 2, failedRetries: 5, appliedTotal: 0 });

    t.down = false;
    await clock.advanceAsync(400);
    expect(t.applied.map((r) => r.puid)).toEqual(['p1', 'p2']);
    expect(queue.stats()).toMatchObject({ pending: 0, appliedTotal: 2, queuedTotal: 2 });
    expect(queue.stats().nextRetryInMs).toBeUndefined();
  });

  it('kick() retries at once; a reward already applied (same puid) counts as a duplicate, not twice', async () => {
    const clock = new ManualClock();
    const t = target();
    const queue = createFeedbackQueue({ apply: t.apply, clock, initialDelayMs: 10_000 });
    queue.enqueue(reward(1));
    queue.enqueue(reward(1));
    t.down = false;
    queue.kick();
    await flushMicrotasks();
    expect(t.applied).toHaveLength(1);
    expect(queue.stats()).toMatchObject({ pending: 0, appliedTotal: 1, duplicateTotal: 1 });
  });

  it('refuses a reward beyond its capacity, counting and listing it as dropped "full"', () => {
    const queue = createFeedbackQueue({ apply: target().apply, clock: new ManualClock(), capacity: 2 });
    expect(queue.enqueue(reward(1))).toBe(true);
    expect(queue.enqueue(reward(2))).toBe(true);
    expect(queue.enqueue(reward(3), new StateStoreError('redis', 'down'))).toBe(false);
    const stats = queue.stats();
    expect(stats.pending).toBe(2);
    expect(stats.droppedTotal).toEqual({ full: 1, expired: 0, rejected: 0, shutdown: 0 });
    expect(stats.droppedList).toEqual([{ router: 'bandit', arm: 1, reward: 1, puid: 'p3', reason: 'full', error: 'down' }]);
    expect(stats.pendingList.map((p) => p.puid)).toEqual(['p1', 'p2']);
  });

  it('drops rewards older than maxAgeMs ("expired") and ones the router refuses ("rejected")', async () => {
    const clock = new ManualClock();
    const t = target();
    const dropped: string[] = [];
    const queue = createFeedbackQueue({
      apply: async (r) => {
        if (r.arm === 7) throw new Error('arm 7 is out of range');
        return t.apply(r);
      },
      clock,
      maxAgeMs: 900,
      initialDelayMs: 100,
      maxDelayMs: 100,
      onDropped: (list) => dropped.push(...list.map((d) => `${d.puid}:${d.reason}`)),
    });
    queue.enqueue(reward(1));
    await clock.advanceAsync(950);
    queue.enqueue({ ...reward(2), arm: 7 });
    queue.enqueue(reward(3));
    t.down = false;
    await clock.advanceAsync(100);
    expect(dropped).toEqual(['p1:expired', 'p2:rejected']);
    expect(t.applied.map((r) => r.puid)).toEqual(['p3']);
    expect(queue.stats().droppedTotal).toEqual({ full: 0, expired: 1, rejected: 1, shutdown: 0 });
    expect(queue.stats().droppedList[1]).toMatchObject({ puid: 'p2', reason: 'rejected', error: 'arm 7 is out of range' });
  });

  it('close() makes one last attempt, then drops what is left as "shutdown" and refuses more', async () => {
    const clock = new ManualClock();
    const t = target();
    const queue = createFeedbackQueue({ apply: t.apply, clock });
    queue.enqueue(reward(1));
    queue.enqueue(reward(2));
    const left = await queue.close(1000);
    expect(t.calls).toBe(1);
    expect(left.map((d) => `${d.puid}:${d.reason}`)).toEqual(['p1:shutdown', 'p2:shutdown']);
    expect(queue.enqueue(reward(3))).toBe(false);
    expect(clock.pending()).toBe(0);

    const healthy = target();
    healthy.down = false;
    const second = createFeedbackQueue({ apply: healthy.apply, clock });
    second.enqueue(reward(4));
    expect(await second.close(1000)).toEqual([]);
    expect(healthy.applied.map((r) => r.puid)).toEqual(['p4']);
  });
});
