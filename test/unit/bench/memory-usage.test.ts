/** bench/lib/memory-usage.ts: RSS, PSS and USS of a process from /proc. */
import { describe, expect, it } from 'vitest';
import { memoryUsage, parseMemoryUsage } from '../../../bench/lib/memory-usage.ts';

const STATUS = 'Name:\tnode\nVmRSS:\t   66560 kB\nRssAnon:\t   22528 kB\nRssFile:\t   44032 kB\nRssShmem:\t       0 kB\n';
const ROLLUP = 'Rss:               66560 kB\nPss:               30003 kB\nShared_Clean:      43008 kB\nPrivate_Clean:      1024 kB\nPrivate_Dirty:     22528 kB\n';

describe('memory usage from /proc', () => {
  it('reads RSS from status, PSS and USS (private clean + dirty) from smaps_rollup, in MiB', () => {
    expect(parseMemoryUsage(STATUS, ROLLUP)).toEqual({ rssMiB: 65, pssMiB: 29.3, ussMiB: 23, anonMiB: 22, fileMiB: 43 });
  });

  it('names a missing field', () => {
    expect(() => parseMemoryUsage(STATUS, 'Rss: 1 kB\n')).toThrow(/no Pss field/);
  });

  it.skipIf(process.platform !== 'linux')('of a live process: USS ≤ PSS ≤ RSS; undefined once it is gone', () => {
    const own = memoryUsage(process.pid)!;
    expect(own.ussMiB).toBeLessThanOrEqual(own.pssMiB);
    expect(own.pssMiB).toBeLessThanOrEqual(own.rssMiB);
    expect(memoryUsage(2 ** 22 + 7)).toBeUndefined();
  });
});
