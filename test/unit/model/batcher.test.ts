/**
 * The batcher's rules, with a model run that doubles each value row by row and records the shapes it was given:
 * who joins whom, when a batch runs, how answers are cut back into rows, and what happens when a batch fails.
 * (test/integration/batcher.test.ts runs it in front of a real onnxruntime session.)
 */
import { describe, expect, it } from 'vitest';
import { createBatcher, type RunOutput } from '../../../runtime/model/batcher.ts';

function setup(options: { maxBatchSize?: number; maxLatencyMs?: number; run?: (values: Float32Array, shape: number[]) => Promise<RunOutput> } = {}) {
  const runs: number[][] = [];
  const warnings: string[] = [];
  const counted: Array<[number, number]> = [];
  const doubled = async (values: Float32Array, shape: number[]): Promise<RunOutput> => ({ dims: shape, data: values.map((v) => v * 2) });
  const batcher = createBatcher<Float32Array>({
    maxBatchSize: options.maxBatchSize ?? 4,
    maxLatencyMs: options.maxLatencyMs ?? 20,
    allocate: (n) => new Float32Array(n),
    run: async (values, shape) => {
      runs.push(shape);
      return (options.run ?? doubled)(values, shape);
    },
    warn: (m) => warnings.push(m),
    onRun: (requests, rows) => counted.push([requests, rows]),
  });
  const rows = (...values: number[][]) => batcher.run(Float32Array.from(values.flat()), [values.length, values[0]!.length]);
  return { batcher, runs, warnings, counted, rows };
}

describe('createBatcher', () => {
  it('joins concurrent requests of the same trailing shape and hands each its own rows', async () => {
    const { runs, counted, rows } = setup();
    const [a, b, c] = await Promise.all([rows([1, 2]), rows([3, 4], [5, 6]), rows([7, 8])]);
    expect(runs).toEqual([[4, 2]]);
    expect(counted).toEqual([[3, 4]]);
    expect(Array.from(a.output.data as Float32Array)).toEqual([2, 4]);
    expect(a.output.dims).toEqual([1, 2]);
    expect(Array.from(b.output.data as Float32Array)).toEqual([6, 8, 10, 12]);
    expect(b.output.dims).toEqual([2, 2]);
    expect(Array.from(c.output.data as Float32Array)).toEqual([14, 16]);
    expect([a.requests, a.rows]).toEqual([3, 4]);
  });

  it('runs a batch when it is full, and the next requests in a new one', async () => {
    const { batcher, runs, rows } = setup({ maxBatchSize: 2, maxLatencyMs: 5000 });
    const started = performance.now();
    await Promise.all([rows([1]), rows([2])]);
    expect(performance.now() - started).toBeLessThan(2500);
    const pending = Promise.all([rows([3], [4]), rows([5])]);
    batcher.flush();
    const [c, d] = await pending;
    expect(runs).toEqual([[2, 1], [2, 1], [1, 1]]);
    expect(c.requests).toBe(1);
    expect(Array.from(d.output.data as Float32Array)).toEqual([10]);
  });

  it('runs a lone request after maxLatency, alone', async () => {
    const { runs, rows } = setup({ maxLatencyMs: 30 });
    const started = performance.now();
    const answer = await rows([1, 1]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
    expect(runs).toEqual([[1, 2]]);
    expect(answer.requests).toBe(1);
  });

  it('keeps shapes apart, and runs a request larger than maxBatchSize alone at once', async () => {
    const { runs, rows } = setup({ maxBatchSize: 3 });
    await Promise.all([rows([1, 2]), rows([1, 2, 3]), rows([4, 5]), rows([1], [2], [3], [4])]);
    expect(runs).toContainEqual([4, 1]);
    expect(runs).toContainEqual([2, 2]);
    expect(runs).toContainEqual([1, 3]);
    expect(runs).toHaveLength(3);
  });

  it('reruns a failing batch request by request: the bad request fails alone, the others are answered', async () => {
    const { runs, rows, warnings, counted } = setup({
      run: async (values, shape) => {
        if (values.some((v) => v < 0)) throw new Error('negative input');
        return { dims: shape, data: values.map((v) => v + 1) };
      },
    });
    const [good, bad, other] = await Promise.allSettled([rows([1]), rows([-1]), rows([2])]);
    expect(good).toMatchObject({ status: 'fulfilled', value: { requests: 1 } });
    expect(Array.from((good as PromiseFulfilledResult<any>).value.output.data)).toEqual([2]);
    expect(bad).toMatchObject({ status: 'rejected', reason: { message: 'negative input' } });
    expect(other.status).toBe('fulfilled');
    expect(runs).toEqual([[3, 1], [1, 1], [1, 1], [1, 1]]);
    expect(warnings).toEqual(['a batch of 3 requests failed and was run again request by request: negative input']);
    // Only runs that answered count.
    expect(counted).toEqual([[1, 1], [1, 1]]);
  });

  it('reruns request by request when the output is not one row per input row, and warns once', async () => {
    const { rows, warnings } = setup({ run: async (values) => ({ dims: [1], data: Float32Array.of(values.reduce((a, b) => a + b, 0)) }) });
    const answers = await Promise.all([rows([1]), rows([2])]);
    expect(answers.map((a) => Array.from(a.output.data as Float32Array))).toEqual([[1], [2]]);
    await Promise.all([rows([1]), rows([2])]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/its output has shape \[1\], not one row per input row \(2\)/);
  });

  it('flush runs what is open without waiting', async () => {
    const { batcher, rows } = setup({ maxLatencyMs: 10_000 });
    const pending = Promise.all([rows([1]), rows([2])]);
    batcher.flush();
    const answers = await pending;
    expect(answers[0]!.requests).toBe(2);
  });
});
