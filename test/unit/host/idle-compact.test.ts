/**
 * Compacting when idle: once after each busy period, never during traffic or while nothing was served; and the
 * real collection, in a real child process, gives back the young generation a burst of allocation grew.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { idleCompactMs } from '../../../functions/adapter.ts';
import { compactWhenIdle, DEFAULT_IDLE_COMPACT_MS } from '../../../runtime/host/idle-compact.ts';
import { ManualClock } from '../../helpers/manual-clock.ts';

describe('compactWhenIdle', () => {
  it('compacts once per busy period, idleMs after the traffic stops', () => {
    const clock = new ManualClock();
    let requests = 0;
    let compactions = 0;
    const handle = compactWhenIdle({ activity: () => requests, idleMs: 2000, clock, compact: () => compactions++ });

    clock.advance(10_000);
    expect(compactions).toBe(0); // nothing served: nothing to give back

    for (let t = 0; t < 10; t++) {
      requests += 5;
      clock.advance(1000);
    }
    expect(compactions).toBe(0); // busy all along

    clock.advance(4000);
    expect(compactions).toBe(1);
    clock.advance(60_000);
    expect(compactions).toBe(1); // still idle: once is enough

    requests++;
    clock.advance(6000);
    expect(compactions).toBe(2);
    expect(handle.count()).toBe(2);

    handle.stop();
    requests++;
    clock.advance(60_000);
    expect(compactions).toBe(2);
  });
});

describe('SWITCHYARD_IDLE_COMPACT_MS', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('defaults to 2 s, takes a whole number of ms (0: never), and names itself when it is anything else', () => {
    vi.stubEnv('SWITCHYARD_IDLE_COMPACT_MS', '');
    expect(idleCompactMs()).toBe(DEFAULT_IDLE_COMPACT_MS);
    vi.stubEnv('SWITCHYARD_IDLE_COMPACT_MS', '0');
    expect(idleCompactMs()).toBe(0);
    vi.stubEnv('SWITCHYARD_IDLE_COMPACT_MS', '30000');
    expect(idleCompactMs()).toBe(30_000);
    for (const bad of ['-1', '1.5', 'soon']) {
      vi.stubEnv('SWITCHYARD_IDLE_COMPACT_MS', bad);
      expect(() => idleCompactMs()).toThrow(`environment variable SWITCHYARD_IDLE_COMPACT_MS must be a whole number of milliseconds (0 turns idle compaction off); received "${bad}"`);
    }
  });
});

describe('majorCollection', () => {
  it('in a real process, shrinks the heap that a burst of short-lived allocation grew', () => {
    const script = `
      import { majorCollection } from ${JSON.stringify(path.resolve('runtime/host/idle-compact.ts'))};
      const keep = [];
      for (let i = 0; i < 200000; i++) { keep.push({ i, s: 'x'.repeat(20) }); if (keep.length > 50000) keep.length = 0; }
      keep.length = 0;
      const before = process.memoryUsage().heapTotal;
      majorCollection();
      majorCollection();
      console.log(JSON.stringify({ before, after: process.memoryUsage().heapTotal, gcIsGlobal: typeof globalThis.gc }));
    `;
    const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })) as { before: number; after: number; gcIsGlobal: string };
    expect(out.after).toBeLessThan(out.before);
    expect(out.gcIsGlobal).toBe('undefined');
  });
});
