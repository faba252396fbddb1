/**
 * The batcher's rules, with a model run that doubles each value row by row, takes `delayMs`, and records the shapes
 * it was given: who joins whom, when a batch runs (after maxLatency, or, with 0, when the model is idle), how
 * answers are cut back into rows, and what happens when a batch fails. (test/integration/batcher.test.ts runs it in
 * front of a real onnxruntime session.)
 */
import { describe, expect, it } from 'vitest';
import { createBatcher, type RunOutput } from '../../../runtime/model/batcher.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function setup(options: { maxBatchSize?: number; maxLatencyMs: number; delayMs?: (shape: number[]) => number; run?: (values: Float32Array, shape: number[]) => Promise<RunOutput> }) {
  const runs: number[][] = [];
  const warnings: string[] = [];
  const counted: Array<[number, number]> = [];
  const doubled = async (values: Float32Array, shape: number[]): Promise<RunOutput> => ({ dims: shape, data: values.map((v) => v * 2) });
  const batcher = createBatcher<Float32Array>({
    maxBatchSize: options.maxBatchSize ?? 4,
    maxLatencyMs: options.maxLatencyMs,
    allocate: (n) => new Float32Array(n),
    run: async (values, shape) => {
      runs.push(shape);
      await sleep(options.delayMs?.(shape) ?? 20);
      return (options.run ?? doubled)(values, shape);
    },
    warn: (m) => warnings.push(m),
    onRun: (requests, rows) => counted.push([requests, rows]),
  });
  const rows = (...values: number[][]) => batcher.run(Float32Array.from(values.flat()), [values.length, values[0]!.length]);
  return { batcher, runs, warnings, counted, rows };
}

describe('createBatcher with maxLatency (KServe\'s batcher)', () => {
  it('joins concurrent requests of the same trailing shape and hands each its own rows', async () => {
    const { runs, counted, rows } = setup({ maxLatencyMs: 30 });
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

  it('runs a full batch at once, and the next requests in a new one', async () => {
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

  it('makes a lone request wait out maxLatency, then runs it alone', async () => {
    const { runs, rows } = setup({ maxLatencyMs: 60 });
    const started = performance.now();
    const answer = await rows([1, 1]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
    expect(runs).toEqual([[1, 2]]);
    expect(answer.requests).toBe(1);
  });

  it('keeps shapes apart, and runs a request larger than maxBatchSize alone at once', async () => {
    const { runs, rows } = setup({ maxBatchSize: 3, maxLatencyMs: 30 });
    await Promise.all([rows([1, 2]), rows([1, 2, 3]), rows([4, 5]), rows([1], [2], [3], [4])]);
    expect(runs).toEqual([[4, 1], [2, 2], [1, 3]]);
  });

  it('reruns a failing batch request by request: the bad request fails alone, the others are answered', async () => {
    const { runs, rows, warnings, counted } = setup({
      maxLatencyMs: 30,
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
    const { rows, warnings } = setup({ maxLatencyMs: 30, run: async (values) => ({ dims: [1], data: Float32Array.of(values.reduce((a, b) => a + b, 0)) }) });
    const answers = await Promise.all([rows([1]), rows([2])]);
    expect(answers.map((a) => Array.from(a.output.data as Float32Array))).toEqual([[1], [2]]);
    await Promise.all([rows([1]), rows([2])]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/its output has shape \[1\], not one row per input row \(2\)/);
  });
});

describe('createBatcher with maxLatency 0 (batches form while the model runs)', () => {
  it('runs a request that finds the model idle at once', async () => {
    const { runs, rows } = setup({ maxLatencyMs: 0 });
    const answer = await rows([1, 1]);
    expect(runs).toEqual([[1, 2]]);
    expect(answer.requests).toBe(1);
  });

  it('joins the requests that arrive while the model runs, and runs them as soon as it is idle', async () => {
    const { runs, counted, rows } = setup({ maxLatencyMs: 0 });
    const [a, b, c] = await Promise.all([rows([1, 2]), rows([3, 4], [5, 6]), rows([7, 8])]);
    expect(runs).toEqual([[1, 2], [3, 2]]);
    expect(counted).toEqual([[1, 1], [2, 3]]);
    expect(Array.from(a.output.data as Float32Array)).toEqual([2, 4]);
    expect(Array.from(b.output.data as Float32Array)).toEqual([6, 8, 10, 12]);
    expect(Array.from(c.output.data as Float32Array)).toEqual([14, 16]);
    expect([b.requests, b.rows]).toEqual([2, 3]);
  });

  it('still runs a full batch at once while the model is busy', async () => {
    const { runs, rows } = setup({ maxBatchSize: 2, maxLatencyMs: 0 });
    const [, , , d] = await Promise.all([rows([1]), rows([2]), rows([3]), rows([4])]);
    expect(runs).toEqual([[1, 1], [2, 1], [1, 1]]);
    expect(Array.from(d.output.data as Float32Array)).toEqual([8]);
  });

  it('flush runs what is open without waiting for the model', async () => {
    const { batcher, runs, rows } = setup({ maxLatencyMs: 0, delayMs: (shape) => (shape[1] === 9 ? 600 : 10) });
    const slow = rows([0, 0, 0, 0, 0, 0, 0, 0, 0]);
    const pending = Promise.all([rows([1]), rows([2])]);
    batcher.flush();
    const answers = await pending;
    expect(answers[0]!.requests).toBe(2);
    expect(runs).toEqual([[1, 9], [2, 1]]);
    await slow;
  });
});
