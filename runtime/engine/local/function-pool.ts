/**
 * @module The replicas of one function, and the requests waiting for them.
 *
 * `acquire()` hands out the ready replica with the fewest in-flight requests that is below the function's
 * containerConcurrency (a hard limit, as in Knative); when none is free the request waits in a bounded FIFO
 * queue (full → 503 with Retry-After; waited too long → 504; a caller that leaves leaves the queue too). A request that finds the function at zero
 * replicas activates it. `setDesired(n)` is how the autoscaler acts: the pool starts replicas or drains the
 * idlest ones (a draining replica finishes what it holds before it is stopped). A replica that dies is
 * replaced while the desired scale says so.
 *
 * A function whose replicas keep failing to start (a model that cannot load, a bad setting) backs off, as
 * Kubernetes' CrashLoopBackOff does: after the n-th failure in a row no replica starts for
 * min(1 s × 2^(n-1), 30 s), and a request that finds none live meanwhile gets a 503 at once, with the last
 * error and a Retry-After, instead of spawning another process that fails the same way.
 */
import type { ScalingPolicy } from '../../plan/types.ts';
import { GatewayError } from './errors.ts';
import { spawnReplica, type Replica } from './replica.ts';
import type { ReplicaPlacement } from './device-placement.ts';

/** The first wait after a failed start, and the longest. */
export const START_BACKOFF_MS = { first: 1000, max: 30_000 } as const;

export interface PoolStats {
  function: string;
  desired: number;
  ready: number;
  starting: number;
  draining: number;
  inflight: number;
  queued: number;
  coldStarts: number;
  lastStartMs: number | undefined;
  failures: number;
  /** Replicas that failed to start in a row (0 once one starts). */
  startFailures: number;
  /** ms until the pool tries to start a replica again after failed starts; 0 when it is not backing off. */
  startBackoffMs: number;
  /** Why the last of those starts failed; absent once a replica starts. */
  lastStartError?: string;
  /** Each replica that has not stopped yet. */
  replicas: ReplicaStats[];
}

export interface ReplicaStats {
  id: number;
  pid: number | undefined;
  state: Replica['state'];
  inflight: number;
  /** ms from spawn to ready; undefined while starting. */
  startMs: number | undefined;
  /** The Unix socket the gateway calls the replica on (frame transport); undefined: HTTP to its port. */
  socket: string | undefined;
  /** The GPUs it was placed on (`nvidia-gpu 1`); absent for a replica on the CPU. */
  devices?: string;
}

export interface FunctionPool {
  readonly name: string;
  readonly scaling: ScalingPolicy;
  /** A free replica, or a place in the queue; a queued request whose `signal` aborts (its caller left) leaves it. */
  acquire(timeoutMs: number, signal?: AbortSignal): Promise<Replica>;
  release(replica: Replica): void;
  /** Ensures at least one replica is (being) started: activation from zero. */
  activate(): void;
  setDesired(desired: number): void;
  /** Requests in flight plus requests queued: the concurrency the autoscaler sees. */
  concurrency(): number;
  /** Ready replicas (what `stats().ready` says, without building the rest: the gateway asks on every request). */
  readyCount(): number;
  stats(): PoolStats;
  stop(): Promise<void>;
  /** Marks a replica as broken (e.g. its connection was refused) so it gets replaced. */
  discard(replica: Replica): void;
}

export interface PoolOptions {
  name: string;
  bundle: string;
  env: Record<string, string>;
  /** The GPUs replica `id` runs on (device-placement.ts): its extra environment and a label for the log. */
  placement?: (id: number) => ReplicaPlacement;
  /**
   * Where replicas serve the frame transport (runtime/frames): replica `id` gets the Unix socket
   * `frameSocket(id)`. Absent, the gateway calls replicas over HTTP.
   */
  frameSocket?: (id: number) => string;
  cwd?: string;
  scaling: ScalingPolicy;
  maxQueue: number;
  startTimeoutMs: number;
  drainTimeoutMs: number;
  now: () => number;
  log: (message: string) => void;
  output: (fn: string, replica: number, line: string) => void;
  /** Called when the pool's state changed in a way the autoscaler may care about (activation). */
  onActivate?: (pool: FunctionPool) => void;
}

interface Waiter {
  resolve: (replica: Replica) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export function createFunctionPool(options: PoolOptions): FunctionPool {
  const { name, scaling } = options;
  const replicas: Replica[] = [];
  const queue: Waiter[] = [];
  let desired = 0;
  let nextId = 1;
  let coldStarts = 0;
  let failures = 0;
  let startFailures = 0;
  let lastStartError = '';
  let backoffUntil = 0;
  let backoffTimer: NodeJS.Timeout | undefined;
  const backoffLeft = () => Math.max(0, backoffUntil - options.now());
  /** Each placed replica's GPUs, by replica id (device-placement.ts). */
  const placedOn = new Map<number, string>();
  let lastStartMs: number | undefined;
  let stopped = false;
  const limit = scaling.containerConcurrency > 0 ? scaling.containerConcurrency : Infinity;

  const live = () => replicas.filter((r) => r.state === 'starting' || r.state === 'ready');

  function pick(): Replica | undefined {
    let best: Replica | undefined;
    for (const r of replicas) {
      if (r.state !== 'ready' || r.inflight >= limit) continue;
      if (best === undefined || r.inflight < best.inflight) best = r;
    }
    return best;
  }

  function dispatch(): void {
    while (queue.length > 0) {
      const replica = pick();
      if (replica === undefined) return;
      const waiter = queue.shift()!;
      clearTimeout(waiter.timer);
      replica.inflight++;
      waiter.resolve(replica);
    }
  }

  function start(): void {
    const id = nextId++;
    const fromZero = replicas.every((r) => r.state !== 'ready');
    const placed = options.placement?.(id);
    if (placed !== undefined) placedOn.set(id, placed.label);
    const replica = spawnReplica({
      id,
      fn: name,
      bundle: options.bundle,
      env: placed === undefined ? options.env : { ...options.env, ...placed.env },
      frameSocket: options.frameSocket?.(id),
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
      startTimeoutMs: options.startTimeoutMs,
      now: options.now,
      output: (line) => options.output(name, id, line),
    });
    replicas.push(replica);
    options.log(`${name}: replica ${id} starting${placed === undefined ? '' : ` on ${placed.label}`}${fromZero ? ' (cold start)' : ''}`);
    replica.ready.then(
      () => {
        if (replica.state !== 'starting') return;
        replica.state = 'ready';
        startFailures = 0;
        backoffUntil = 0;
        coldStarts += fromZero ? 1 : 0;
        lastStartMs = replica.startMs;
        options.log(`${name}: replica ${id} ready in ${Math.round(replica.startMs)} ms`);
        dispatch();
        reconcile();
      },
      (error: Error) => {
        failures++;
        startFailures++;
        lastStartError = error.message;
        const wait = Math.min(START_BACKOFF_MS.first * 2 ** (startFailures - 1), START_BACKOFF_MS.max);
        backoffUntil = options.now() + wait;
        remove(replica);
        options.log(`${name}: replica ${id} failed to start: ${error.message}`);
        options.log(`${name}: ${startFailures} failed start${startFailures === 1 ? '' : 's'} in a row; next try in ${formatWait(wait)}`);
        // Requests waiting on a function that cannot start are answered now, not at their timeout.
        if (live().length === 0) failWaiters(new GatewayError({ status: 503, reason: 'function_start_failed', function: name, message: error.message, retryAfterSeconds: Math.ceil(wait / 1000) }));
        scheduleRetry();
      },
    );
    replica.exited.then(({ code, signal }) => {
      const wasServing = replica.state === 'ready';
      remove(replica);
      if (wasServing && !stopped) {
        failures++;
        options.log(`${name}: replica ${id} exited unexpectedly (${signal ?? `code ${code}`}); replacing it`);
        reconcile();
      }
    });
  }

  function remove(replica: Replica): void {
    const index = replicas.indexOf(replica);
    if (index >= 0) replicas.splice(index, 1);
    placedOn.delete(replica.id);
    if (replica.state !== 'stopped') replica.state = 'stopped';
  }

  function failWaiters(error: Error): void {
    for (const waiter of queue.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.reject(error);
    }
  }

  function drain(replica: Replica): void {
    replica.state = 'draining';
    options.log(`${name}: replica ${replica.id} draining`);
    const finish = () => {
      if (replica.inflight > 0) return void setTimeout(finish, 20);
      void replica.stop(options.drainTimeoutMs).then(() => {
        remove(replica);
        options.log(`${name}: replica ${replica.id} stopped${live().length === 0 ? ' (scaled to zero)' : ''}`);
      });
    };
    finish();
  }

  /** After the backoff, start what the desired scale still asks for. */
  function scheduleRetry(): void {
    if (backoffTimer !== undefined) clearTimeout(backoffTimer);
    backoffTimer = setTimeout(() => {
      backoffTimer = undefined;
      reconcile();
    }, backoffLeft());
    backoffTimer.unref();
  }

  function reconcile(): void {
    if (stopped) return;
    const current = live();
    if (current.length < desired) {
      if (backoffLeft() > 0) return; // scheduleRetry() comes back
      for (let i = current.length; i < desired; i++) start();
    } else if (current.length > desired) {
      // Drain starting replicas last and the idlest ready replicas first.
      const candidates = current
        .filter((r) => r.state === 'ready')
        .sort((a, b) => a.inflight - b.inflight || b.id - a.id);
      for (const replica of candidates.slice(0, current.length - desired)) drain(replica);
    }
  }

  const pool: FunctionPool = {
    name,
    scaling,
    acquire(timeoutMs, signal) {
      if (stopped) return Promise.reject(new GatewayError({ status: 503, reason: 'shutting_down', function: name, message: 'the engine is shutting down' }));
      const replica = pick();
      if (replica !== undefined && queue.length === 0) {
        replica.inflight++;
        return Promise.resolve(replica);
      }
      if (queue.length >= options.maxQueue) {
        return Promise.reject(
          new GatewayError({
            status: 503, reason: 'queue_full', function: name, retryAfterSeconds: 1,
            message: `function "${name}" is at capacity: ${queue.length} requests are already waiting (queue limit ${options.maxQueue}); retry shortly`,
          }),
        );
      }
      if (live().length === 0 && backoffLeft() > 0) {
        const wait = backoffLeft();
        return Promise.reject(
          new GatewayError({
            status: 503, reason: 'function_start_failed', function: name, retryAfterSeconds: Math.ceil(wait / 1000),
            message: `function "${name}" failed to start ${startFailures} time${startFailures === 1 ? '' : 's'} in a row; next try in ${formatWait(wait)}. Last error: ${lastStartError}`,
          }),
        );
      }
      const gone = () =>
        new GatewayError({ status: 499, reason: 'client_closed', function: name, message: `the caller of function "${name}" left while waiting for a free replica` });
      if (signal?.aborted) return Promise.reject(gone());
      return new Promise<Replica>((resolve, reject) => {
        const onAbort = () => {
          const index = queue.indexOf(waiter);
          if (index < 0) return;
          queue.splice(index, 1);
          clearTimeout(waiter.timer);
          reject(gone());
        };
        const waiter: Waiter = {
          resolve: (replica) => {
            signal?.removeEventListener('abort', onAbort);
            resolve(replica);
          },
          reject: (error) => {
            signal?.removeEventListener('abort', onAbort);
            reject(error);
          },
          timer: setTimeout(() => {
            const index = queue.indexOf(waiter);
            if (index >= 0) queue.splice(index, 1);
            waiter.reject(
              new GatewayError({
                status: 504, reason: 'queue_timeout', function: name,
                message: `function "${name}" had no free replica within ${timeoutMs} ms`,
              }),
            );
          }, timeoutMs),
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        queue.push(waiter);
        if (live().length === 0) pool.activate();
      });
    },
    release(replica) {
      replica.inflight = Math.max(0, replica.inflight - 1);
      dispatch();
    },
    activate() {
      // Knative's minScale holds from the first request on (the autoscaler's bounds keep it there).
      if (desired < 1) desired = Math.max(1, scaling.maxScale > 0 ? Math.min(scaling.minScale, scaling.maxScale) : scaling.minScale);
      reconcile();
      options.onActivate?.(pool);
    },
    setDesired(n) {
      const bounded = Math.max(n, scaling.minScale);
      const capped = scaling.maxScale > 0 ? Math.min(bounded, scaling.maxScale) : bounded;
      if (capped === desired) return;
      options.log(`${name}: desired replicas ${desired} → ${capped}`);
      desired = capped;
      reconcile();
    },
    concurrency() {
      return replicas.reduce((sum, r) => sum + r.inflight, 0) + queue.length;
    },
    readyCount() {
      let ready = 0;
      for (const r of replicas) if (r.state === 'ready') ready++;
      return ready;
    },
    stats() {
      return {
        function: name,
        desired,
        ready: replicas.filter((r) => r.state === 'ready').length,
        starting: replicas.filter((r) => r.state === 'starting').length,
        draining: replicas.filter((r) => r.state === 'draining').length,
        inflight: replicas.reduce((sum, r) => sum + r.inflight, 0),
        queued: queue.length,
        coldStarts,
        lastStartMs,
        failures,
        startFailures,
        startBackoffMs: backoffLeft(),
        ...(startFailures > 0 ? { lastStartError } : {}),
        replicas: replicas.map((r) => ({
          id: r.id,
          pid: r.process.pid,
          state: r.state,
          inflight: r.inflight,
          startMs: r.state === 'starting' ? undefined : r.startMs,
          socket: r.frames?.socketPath,
          ...(placedOn.has(r.id) ? { devices: placedOn.get(r.id)! } : {}),
        })),
      };
    },
    discard(replica) {
      if (replica.state === 'ready') {
        replica.state = 'draining';
        void replica.stop(0).then(() => remove(replica));
        reconcile();
      }
    },
    async stop() {
      stopped = true;
      if (backoffTimer !== undefined) clearTimeout(backoffTimer);
      failWaiters(new GatewayError({ status: 503, reason: 'shutting_down', function: name, message: 'the engine is shutting down' }));
      await Promise.all(replicas.map((r) => r.stop(options.drainTimeoutMs)));
      replicas.length = 0;
    },
  };
  return pool;
}

function formatWait(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}
