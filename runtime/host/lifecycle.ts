/**
 * @module A function's lifecycle: loading → ready (or failed), then draining; in-flight requests counted.
 *
 * Ready only after `load()` resolves. `drain()` fails readiness first, then waits (bounded) for in-flight
 * requests to finish. Every wait has a timeout; nothing here throws into the process.
 */
import type { Logger } from '../log.ts';
import { ProtocolError, REASONS } from '../protocol/errors.ts';
import type { HostTimers, LoadedNode } from './types.ts';

export type Phase = 'loading' | 'ready' | 'failed';

/** Seconds a client is told to wait (Retry-After) while the node is still loading. */
export const RETRY_AFTER_SECONDS = 1;

export interface Lifecycle {
  phase(): Phase;
  /** The loaded node, or a 503 `ProtocolError` that says why there is none (loading, or load failed). */
  requireNode(): LoadedNode;
  loadedNode(): LoadedNode | undefined;
  loadError(): Error | undefined;
  draining(): boolean;
  ready: Promise<void>;
  /** Count a request in flight until the returned function is called. */
  enter(): () => void;
  inflight(): number;
  drain(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

const defaultTimers: HostTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export function createLifecycle(options: {
  name: string;
  load: () => Promise<LoadedNode>;
  /** Called with the node once loaded, before it is marked ready (e.g. to connect its metrics). */
  onLoaded?: (node: LoadedNode) => void;
  log: Logger;
  timers?: HostTimers | undefined;
}): Lifecycle {
  const { name, log } = options;
  const timers = options.timers ?? defaultTimers;
  let phase: Phase = 'loading';
  let node: LoadedNode | undefined;
  let failure: Error | undefined;
  let isDraining = false;
  let inflight = 0;
  let idleWaiters: Array<() => void> = [];
  const started = performance.now();

  log.info('loading node');
  const ready = Promise.resolve()
    .then(() => options.load())
    .then(
      (loaded) => {
        options.onLoaded?.(loaded);
        node = loaded;
        phase = 'ready';
        log.info('ready', { node: loaded.name, loadMs: Math.round(performance.now() - started) });
      },
      (error: unknown) => {
        failure = error instanceof Error ? error : new Error(String(error));
        phase = 'failed';
        log.error('load failed', { error: failure.message });
        throw failure;
      },
    );
  // `ready` rejects for whoever awaits it, but an unobserved rejection must not end the process.
  ready.catch(() => undefined);

  const leave = (): void => {
    inflight--;
    if (inflight === 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const wake of waiters) wake();
    }
  };

  return {
    phase: () => phase,
    loadedNode: () => node,
    loadError: () => failure,
    draining: () => isDraining,
    ready,
    inflight: () => inflight,
    requireNode() {
      if (node !== undefined) return node;
      if (phase === 'failed') {
        throw new ProtocolError(`function "${name}" failed to load its node: ${failure?.message ?? 'unknown error'}`, {
          status: 503,
          reason: REASONS.loadFailed,
        });
      }
      throw new ProtocolError(`function "${name}" is still loading its node; retry in ${RETRY_AFTER_SECONDS} s`, {
        status: 503,
        reason: REASONS.notReady,
      });
    },
    enter() {
      inflight++;
      let done = false;
      return () => {
        if (done) return;
        done = true;
        leave();
      };
    },
    async drain(timeoutMs) {
      if (!isDraining) log.info('draining', { inflight });
      isDraining = true;
      if (inflight === 0) return;
      await new Promise<void>((resolve) => {
        const handle = timers.setTimeout(() => {
          log.warn('drain timed out with requests still in flight', { inflight, timeoutMs });
          resolve();
        }, timeoutMs);
        idleWaiters.push(() => {
          timers.clearTimeout(handle);
          resolve();
        });
      });
    },
    async close() {
      const loaded = node;
      if (loaded?.close === undefined) return;
      try {
        await loaded.close();
      } catch (error) {
        log.error('closing the node failed', { error });
      }
    },
  };
}
