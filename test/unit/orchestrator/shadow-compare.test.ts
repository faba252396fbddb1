import { describe, expect, it } from 'vitest';
import { compareAnswers } from '../../../runtime/orchestrator/shadow-compare.ts';
import { createShadowStats } from '../../../runtime/orchestrator/shadow-stats.ts';

describe('compareAnswers', () => {
  it('counts the rows whose largest value is at the same place, and the largest difference', () => {
    const node = { data: { ndarray: [[0.7, 0.2, 0.1], [0.1, 0.3, 0.6], [0.5, 0.4, 0.1]] } };
    const shadow = { data: { tensor: { shape: [3, 3], values: [0.6, 0.3, 0.1, 0.2, 0.5, 0.3, 0.45, 0.5, 0.05] } } };
    const result = compareAnswers(node, shadow)!;
    expect(result.rows).toBe(3);
    expect(result.agreeing).toBe(1);
    expect(result.maxAbsDiff).toBeCloseTo(0.3, 10);
  });

  it('compares one value per row as equal or not (a regression)', () => {
    expect(compareAnswers({ data: { ndarray: [[1.5], [2]] } }, { data: { ndarray: [[1.5000001], [2.5]] } })).toEqual({ rows: 2, agreeing: 1, maxAbsDiff: 0.5 });
    expect(compareAnswers({ data: { ndarray: [3, 1] } }, { data: { ndarray: [3, 1] } })).toEqual({ rows: 1, agreeing: 1, maxAbsDiff: 0 });
  });

  it('does not compare what cannot be: other shapes, text, nothing', () => {
    expect(compareAnswers({ data: { ndarray: [[1, 2]] } }, { data: { ndarray: [[1, 2, 3]] } })).toBeUndefined();
    expect(compareAnswers({ data: { ndarray: [['a']] } }, { data: { ndarray: [['a']] } })).toBeUndefined();
    expect(compareAnswers({ strData: 'x' }, { strData: 'x' })).toBeUndefined();
    expect(compareAnswers({ data: { ndarray: [] } }, { data: { ndarray: [] } })).toBeUndefined();
  });
});

describe('createShadowStats', () => {
  it('adds up walks and comparisons per node and shadow, every declared pair shown from the start', () => {
    const stats = createShadowStats([['current', 'candidate']]);
    expect(stats.snapshot()).toEqual([
      { node: 'current', shadow: 'candidate', walks: { ok: 0, failed: 0, skipped: 0 }, compared: 0, rows: 0, agreeingRows: 0, agreement: null, maxAbsDiff: null },
    ]);
    stats.walked({ of: 'current', shadow: 'candidate', outcome: 'ok' });
    stats.walked({ of: 'current', shadow: 'candidate', outcome: 'failed' });
    stats.compared('current', 'candidate', { rows: 3, agreeing: 2, maxAbsDiff: 0.25 });
    stats.compared('current', 'candidate', { rows: 1, agreeing: 1, maxAbsDiff: 0.5 });
    expect(stats.snapshot()[0]).toEqual({
      node: 'current', shadow: 'candidate', walks: { ok: 1, failed: 1, skipped: 0 }, compared: 2, rows: 4, agreeingRows: 3, agreement: 0.75, maxAbsDiff: 0.5,
    });
  });
});
