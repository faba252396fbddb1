/** The benchmark's statistics and its README rendering. */
import { describe, expect, it } from 'vitest';
import { median, quantile, ratio, round } from '../../../bench/lib/stats.ts';
import { renderReadme, type ResultFile } from '../../../bench/lib/report.ts';

describe('quantile', () => {
  it('takes the nearest rank, exactly, from unsorted samples', () => {
    const samples = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(quantile(samples, 0.5)).toBe(5);
    expect(quantile(samples, 0.9)).toBe(9);
    expect(quantile(samples, 0.99)).toBe(10);
    expect(quantile(samples, 0)).toBe(1);
    expect(quantile([0.123, 0.456], 0.5)).toBe(0.123);
  });
  it('is NaN without samples', () => {
    expect(quantile([], 0.5)).toBeNaN();
  });
  it('median of an odd count is the middle value', () => {
    expect(median([3, 1, 2])).toBe(2);
  });
});

describe('round and ratio', () => {
  it('keeps 3 decimals below 10, 1 below 1000, none above', () => {
    expect(round(0.123456)).toBe(0.123);
    expect(round(123.456)).toBe(123.5);
    expect(round(12345.6)).toBe(12346);
  });
  it('ratio of zero is NaN, not Infinity', () => {
    expect(ratio(1, 0)).toBeNaN();
    expect(ratio(1, 4)).toBe(0.25);
  });
});

describe('renderReadme', () => {
  const machine = { cpu: 'Test CPU', cores: 2, memoryGiB: 4, node: 'v24.0.0', platform: 'linux', date: '2026-01-02T03:04:05.000Z' };
  const file = (scenario: string, date = machine.date): ResultFile => ({
    scenario,
    description: `about ${scenario}`,
    quick: false,
    machine: { ...machine, date },
    elapsedMs: 2000,
    result: { summary: [`- ${scenario} line`] },
  });
  it('orders scenarios as asked, others after by name, and says when each ran', () => {
    const text = renderReadme([file('zeta'), file('beta'), file('alpha', '2026-01-03T00:00:00.000Z')], ['beta', 'alpha']);
    const order = ['## beta', '## alpha', '## zeta'].map((h) => text.indexOf(h));
    expect(order.every((i, k) => i >= 0 && (k === 0 || i > order[k - 1]!))).toBe(true);
    expect(text).toContain('Machine: Test CPU, 2 cores, 4 GiB memory, Node v24.0.0, linux.');
    expect(text).toContain('Run 2026-01-02 03:04 UTC, 2 s.');
    expect(text).toContain('- zeta line');
  });
});
