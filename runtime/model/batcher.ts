/**
 * @module Runs concurrent requests to one model as one batch (`onnx.batcher`, KServe's batcher): their rows are
 * joined along the input's first dimension, run once, and the output's rows handed back to each request.
 *
 * - Requests join the open batch of their trailing shape (`[n, 4]` with `[m, 4]`) until it holds `maxBatchSize`
 *   rows, or until the first of them has waited `maxLatencyMs`: then it runs. A request with more rows than
 *   `maxBatchSize`, with no rows, or with no first dimension, runs alone at once.
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
  timer: ReturnType<typeof setTimeout>;
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
  let warned = false;

  const alone = async (item: Pick<Item<T>, 'values' | 'shape'>): Promise<BatchedOutput> => {
    const output = await options.run(item.values, item.shape);
    const rows = item.shape[0] ?? 1;
    options.onRun?.(1, rows);
    return { output, requests: 1, rows };
  };

  const launch = (key: string) => {
    const batch = open.get(key);
    if (batch === undefined) return;
    open.delete(key);
    clearTimeout(batch.timer);
    void runBatch(batch.items, batch.rows);
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
      output = await options.run(joined, [rows, ...trailing]);
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
      if ((open.get(key)?.rows ?? 0) + rows > options.maxBatchSize) launch(key);
      return new Promise<BatchedOutput>((resolve, reject) => {
        let batch = open.get(key);
        if (batch === undefined) {
          batch = { items: [], rows: 0, timer: setTimeout(() => launch(key), options.maxLatencyMs) };
          open.set(key, batch);
        }
        batch.items.push({ values, shape, resolve, reject });
        batch.rows += rows;
        if (batch.rows >= options.maxBatchSize) launch(key);
      });
    },
    flush() {
      for (const key of [...open.keys()]) launch(key);
    },
  };
}
