/**
 * @module Runs concurrent requests to one model as one batch (`onnx.batcher`, KServe's batcher): their rows are
 * joined along the input's first dimension, run once, and the output's rows handed back to each request.
 *
 * - Requests join the open batch of their trailing shape (`[n, 4]` with `[m, 4]`); a batch runs once it holds
 *   `maxBatchSize` rows, and
 *   - with `maxLatencyMs` above 0 (KServe's batcher), when its first request has waited that long, even a lone
 *     request: latency traded for fuller batches;
 *   - with `maxLatencyMs` 0 (Triton's dynamic batching without a queue delay), as soon as the model is idle: a
 *     request that finds it idle runs at once, and those that arrive while it runs are run together after it.
 *     Nothing waits unless the model is busy, so batches form only under load.
 * - A request with more rows than `maxBatchSize`, with no rows, or with no first dimension, runs alone at once.
 * - A batch that fails, or whose output does not have one row per input row, is run again request by request:
 *   a bad request gets its own error, and no other request fails because of it.
 */

/** A model run: the input's values and shape in, the output tensor out. */
export type ModelRun<T> = (values: T, shape: number[]) => Promise<RunOutput>;

export interface RunOutput {
  dims: readonly number[];
  /** Row-major values: a typed array (onnxruntime's) or plain numbers. */
  data: Rows;
}

/** Values that can be cut into rows: typed arrays and arrays. */
export interface Rows extends ArrayLike<unknown> {
  slice(start?: number, end?: number): Rows;
}

/** What happened to one request: its output, and the batch it ran in. */
export interface BatchedOutput {
  output: RunOutput;
  /** Requests in the run (1: it ran alone). */
  requests: number;
  /** Rows in the run. */
  rows: number;
}

type FloatArray = Float32Array | Float64Array;

interface Item<T> {
  values: T;
  shape: number[];
  resolve(result: BatchedOutput): void;
  reject(error: unknown): void;
}

interface OpenBatch<T> {
  items: Item<T>[];
  rows: number;
  /** Runs it after maxLatencyMs (none when batches wait for the model to be idle). */
  timer: ReturnType<typeof setTimeout> | undefined;
}

export interface Batcher<T> {
  run(values: T, shape: number[]): Promise<BatchedOutput>;
  /** Runs every open batch now (a closing model answers what it holds). */
  flush(): void;
}

export function createBatcher<T extends FloatArray>(options: {
  maxBatchSize: number;
  maxLatencyMs: number;
  run: ModelRun<T>;
  /** Makes an empty array of the input's type, for the joined rows. */
  allocate: (length: number) => T;
  /** Told once when a batch had to be run request by request, and why. */
  warn?: (message: string) => void;
  /** Told of each run that answered: how many requests and rows it took. */
  onRun?: (requests: number, rows: number) => void;
}): Batcher<T> {
  const open = new Map<string, OpenBatch<T>>();
  let running = 0;
  let warned = false;

  const whenIdle = options.maxLatencyMs === 0;
  /** Every model run goes through here: without a latency bound, the open batches run when the last one ends. */
  const tracked = async <R>(work: () => Promise<R>): Promise<R> => {
    running++;
    try {
      return await work();
    } finally {
      running--;
      if (running === 0 && whenIdle) flush();
    }
  };

  const alone = (item: Pick<Item<T>, 'values' | 'shape'>): Promise<BatchedOutput> =>
    tracked(async () => {
      const output = await options.run(item.values, item.shape);
      const rows = item.shape[0] ?? 1;
      options.onRun?.(1, rows);
      return { output, requests: 1, rows };
    });

  const launch = (key: string) => {
    const batch = open.get(key);
    if (batch === undefined) return;
    open.delete(key);
    clearTimeout(batch.timer);
    void runBatch(batch.items, batch.rows);
  };

  const flush = () => {
    for (const key of [...open.keys()]) launch(key);
  };

  const runBatch = async (items: Item<T>[], rows: number) => {
    if (items.length === 1) {
      const [item] = items as [Item<T>];
      alone(item).then(item.resolve, item.reject);
      return;
    }
    const trailing = items[0]!.shape.slice(1);
    const joined = options.allocate(items.reduce((n, item) => n + item.values.length, 0));
    let at = 0;
    for (const item of items) {
      joined.set(item.values, at);
      at += item.values.length;
    }
    let output: RunOutput;
    try {
      output = await tracked(() => options.run(joined, [rows, ...trailing]));
      if (output.dims[0] !== rows || output.data.length % rows !== 0) {
        throw new Error(`its output has shape [${output.dims.join(',')}], not one row per input row (${rows}): the model does not answer row by row, so onnx.batcher cannot split its answer`);
      }
    } catch (error) {
      if (!warned) {
        warned = true;
        options.warn?.(`a batch of ${items.length} requests failed and was run again request by request: ${(error as Error).message}`);
      }
      for (const item of items) alone(item).then(item.resolve, item.reject);
      return;
    }
    options.onRun?.(items.length, rows);
    const perRow = output.data.length / rows;
    const outTrailing = output.dims.slice(1);
    let row = 0;
    for (const item of items) {
      const n = item.shape[0]!;
      item.resolve({ output: { dims: [n, ...outTrailing], data: output.data.slice(row * perRow, (row + n) * perRow) }, requests: items.length, rows });
      row += n;
    }
  };

  return {
    run(values, shape) {
      const rows = shape[0];
      if (rows === undefined || rows === 0 || rows > options.maxBatchSize) return alone({ values, shape });
      const key = shape.slice(1).join(',');
      if (whenIdle && !open.has(key) && running === 0) return alone({ values, shape });
      if ((open.get(key)?.rows ?? 0) + rows > options.maxBatchSize) launch(key);
      return new Promise<BatchedOutput>((resolve, reject) => {
        let batch = open.get(key);
        if (batch === undefined) {
          batch = { items: [], rows: 0, timer: whenIdle ? undefined : setTimeout(() => launch(key), options.maxLatencyMs) };
          open.set(key, batch);
        }
        batch.items.push({ values, shape, resolve, reject });
        batch.rows += rows;
        if (batch.rows >= options.maxBatchSize) launch(key);
      });
    },
    flush,
  };
}
