/**
 * @module A closed-loop HTTP load generator: `concurrency` workers, each sending its next request as soon as the
 * last one is answered, over keep-alive connections (node:http, one socket per worker).
 *
 * Latencies are recorded per request in milliseconds with `performance.now()` (no histogram rounding, so
 * sub-millisecond differences survive). The generator's own CPU time is reported too: on a small machine the
 * load generator shares the cores with what it measures, and a report should say how much it took.
 */
import http from 'node:http';
import { mean, quantile, round } from './stats.ts';

export interface LoadOptions {
  url: string;
  method?: string;
  body?: string | Buffer;
  headers?: Record<string, string>;
  concurrency: number;
  /** Run for this long (after warm-up)… */
  durationMs: number;
  /** …and not past this many requests. */
  maxRequests?: number;
  /** Requests sent first and not measured (per worker). */
  warmupRequests?: number;
  /** Throws (the request is counted as an error) when a response is wrong. */
  check?: (status: number, body: Buffer) => void;
}

export interface LoadResult {
  requests: number;
  errors: number;
  firstError?: string;
  elapsedMs: number;
  /** Requests per second. */
  rps: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  meanMs: number;
  /** CPU time the generator itself used, as a share of one core (1 = one core fully busy). */
  clientCpuCores: number;
}

/** One request over `agent`: resolves with status and body; rejects on a connection error. */
export function request(agent: http.Agent, url: URL, options: { method: string; body?: string | Buffer; headers: Record<string, string> }): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { agent, host: url.hostname, port: url.port, path: url.pathname + url.search, method: options.method, headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const url = new URL(options.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  const body = options.body === undefined ? undefined : Buffer.from(options.body);
  const headers: Record<string, string> = { ...options.headers };
  if (body !== undefined) {
    headers['content-type'] ??= 'application/json';
    headers['content-length'] = String(body.byteLength);
  }
  const send = { method: options.method ?? (body === undefined ? 'GET' : 'POST'), headers, ...(body === undefined ? {} : { body }) };
  let errors = 0;
  let firstError: string | undefined;
  const fail = (error: unknown) => {
    errors++;
    firstError ??= error instanceof Error ? error.message : String(error);
  };
  const once = async (): Promise<number> => {
    const started = performance.now();
    const { status, body: answer } = await request(agent, url, send);
    const ms = performance.now() - started;
    if (options.check) options.check(status, answer);
    else if (status >= 400) throw new Error(`HTTP ${status}: ${answer.toString('utf8').slice(0, 200)}`);
    return ms;
  };
  try {
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        for (let i = 0; i < (options.warmupRequests ?? 0); i++) await once().catch(fail);
      }),
    );
    errors = 0;
    firstError = undefined;
    const measured = await closedLoop(options, async () => {
      try {
        return await once();
      } catch (error) {
        fail(error);
        return undefined;
      }
    });
    return { ...measured, errors, ...(firstError === undefined ? {} : { firstError }) };
  } finally {
    agent.destroy();
  }
}

/** The same closed loop for an in-process async call (no HTTP): what a function costs without any hop. */
export async function runInProcess(
  call: () => Promise<unknown>,
  options: { concurrency: number; durationMs: number; maxRequests?: number; warmupRequests?: number },
): Promise<LoadResult> {
  for (let i = 0; i < (options.warmupRequests ?? 0); i++) await call();
  const measured = await closedLoop(options, async () => {
    const t = performance.now();
    await call();
    return performance.now() - t;
  });
  return { ...measured, errors: 0 };
}

/**
 * `concurrency` workers each timing one call after another until `durationMs` (or `maxRequests`) is spent; a
 * call that answers `undefined` failed and is not timed. Latencies in ms, exact percentiles, and the load
 * generator's own CPU in cores.
 */
async function closedLoop(
  options: { concurrency: number; durationMs: number; maxRequests?: number },
  timedCall: () => Promise<number | undefined>,
): Promise<Omit<LoadResult, 'errors' | 'firstError'>> {
  const latencies: number[] = [];
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const deadline = started + options.durationMs;
  const max = options.maxRequests ?? Infinity;
  let sent = 0;
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (performance.now() < deadline && sent < max) {
        sent++;
        const ms = await timedCall();
        if (ms !== undefined) latencies.push(ms);
      }
    }),
  );
  const elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    requests: latencies.length,
    elapsedMs: round(elapsedMs),
    rps: round((latencies.length / elapsedMs) * 1000),
    p50Ms: round(quantile(latencies, 0.5)),
    p90Ms: round(quantile(latencies, 0.9)),
    p99Ms: round(quantile(latencies, 0.99)),
    meanMs: round(mean(latencies)),
    clientCpuCores: round((cpu.user + cpu.system) / 1000 / elapsedMs),
  };
}
