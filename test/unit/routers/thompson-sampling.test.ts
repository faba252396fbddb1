import { describe, expect, it } from 'vitest';
import { sampleBeta, sampleGamma } from '../../../runtime/routers/_gamma.ts';
import { thompsonSampling } from '../../../runtime/routers/thompson-sampling.ts';
import { RouterParameterError } from '../../../runtime/routers/types.ts';
import { seededRng } from '../../helpers/seeded-rng.ts';
import { arm, threeArms } from './_fixtures.ts';

const params = { alpha: 1, beta: 1 };

function moments(draw: () => number, n = 20_000): { mean: number; variance: number } {
  let sum = 0;
  let squares = 0;
  for (let i = 0; i < n; i++) {
    const x = draw();
    sum += x;
    squares += x * x;
  }
  const mean = sum / n;
  return { mean, variance: squares / n - mean * mean };
}

describe('gamma and beta sampling (Marsaglia–Tsang)', () => {
  it.each([
    { shape: 3, mean: 3, variance: 3 },
    { shape: 1, mean: 1, variance: 1 },
    { shape: 0.5, mean: 0.5, variance: 0.5 },
    { shape: 40, mean: 40, variance: 40 },
  ])('Gamma($shape) has mean and variance $shape (20 000 seeded draws, within 3%)', ({ shape, mean, variance }) => {
    const rng = seededRng(11);
    const m = moments(() => sampleGamma(shape, rng));
    expect(Math.abs(m.mean - mean) / mean).toBeLessThan(0.03);
    expect(Math.abs(m.variance - variance) / variance).toBeLessThan(0.05);
  });

  it('Beta(2, 5) has mean 2/7 and its draws lie in [0, 1]', () => {
    const rng = seededRng(12);
    const draws = Array.from({ length: 20_000 }, () => sampleBeta(2, 5, rng));
    expect(draws.every((x) => x >= 0 && x <= 1)).toBe(true);
    expect(Math.abs(draws.reduce((s, x) => s + x, 0) / draws.length - 2 / 7)).toBeLessThan(0.005);
  });

  it('rejects a non-positive shape', () => {
    expect(() => sampleGamma(0, seededRng(1))).toThrow(RangeError);
  });
});

describe('thompson-sampling parameters', () => {
  it('defaults to a uniform Beta(1, 1) prior and accepts other positive priors', () => {
    expect(thompsonSampling.parseParameters({}, 2)).toEqual({ alpha: 1, beta: 1 });
    expect(thompsonSampling.parseParameters({ alpha: 2, beta: 0.5 }, 2)).toEqual({ alpha: 2, beta: 0.5 });
  });

  it.each([
    { raw: { alpha: 0 }, parameter: 'alpha' },
    { raw: { beta: -1 }, parameter: 'beta' },
    { raw: { epsilon: 0.1 }, parameter: 'epsilon' },
  ])('rejects $raw naming "$parameter"', ({ raw, parameter }) => {
    expect(() => thompsonSampling.parseParameters(raw, 2)).toThrow(RouterParameterError);
    expect(() => thompsonSampling.parseParameters(raw, 2)).toThrow(`thompson-sampling router, parameter "${parameter}"`);
  });
});

describe('thompson-sampling decisions', () => {
  it('draws one Beta sample per arm and picks the largest (seed 7)', () => {
    const d = thompsonSampling.decide(threeArms(), params, seededRng(7));
    expect(d.arm).toBe(1);
    expect(d.explore).toBe(false);
    expect(d.estimates.map((x) => x.toFixed(4))).toEqual(['0.5187', '0.7971', '0.5253']);
    expect(d.reason).toBe('exploit: arm 1 sampled 0.797, the highest draw; posterior mean 0.667 (10 pulls)');
  });

  it('a seeded Rng gives these exact choices (seed 7); "e" marks a draw that beat the best posterior mean', () => {
    const rng = seededRng(7);
    const choices = Array.from({ length: 12 }, () => {
      const d = thompsonSampling.decide(threeArms(), params, rng);
      return `${d.arm}${d.explore ? 'e' : ''}`;
    });
    expect(choices.join(' ')).toBe('1 1 1 1 1 1 1 1 2e 2e 1 2e');
  });

  it('an exploring decision says which arm has the best posterior mean', () => {
    const rng = seededRng(7);
    for (let i = 0; i < 8; i++) thompsonSampling.decide(threeArms(), params, rng);
    const d = thompsonSampling.decide(threeArms(), params, rng);
    expect(d).toMatchObject({ arm: 2, explore: true });
    expect(d.reason).toMatch(/^explore: arm 2 sampled 0\.\d{3}, the highest draw, though arm 1 has the best posterior mean 0\.667$/);
  });

  it('a clearly better arm wins every time', () => {
    const state = { arms: [arm(200, 20), arm(200, 180)] };
    const rng = seededRng(3);
    for (let i = 0; i < 100; i++) expect(thompsonSampling.decide(state, params, rng).arm).toBe(1);
  });

  it('a fractional reward r adds r to successes and 1 - r to failures', () => {
    const after = thompsonSampling.update(thompsonSampling.initialState(2), params, 0, 0.75);
    expect(after.arms[0]).toEqual({ pulls: 1, rewardSum: 0.75, successes: 0.75, failures: 0.25 });
    expect(() => thompsonSampling.update(after, params, 0, 2)).toThrow('reward must be a number between 0 and 1');
  });
});
