/**
 * @module The autoscaler of a whole graph (Knative's `MultiScaler`): one collector and one `ScaleController` per
 * function, ticking on one clock. The gateway reports requests to it; the process manager listens to `onScale` and
 * starts or drains processes to match, and tells it how many replicas are ready.
 *
 *   const autoscaler = new MultiScaler({ policies, clock, readyReplicas: (fn) => pools.get(fn)!.stats().ready });
 *   autoscaler.onScale(({ fn, desired }) => pools.get(fn)!.setDesired(desired));
 *   autoscaler.start();
 *   // gateway: autoscaler.requestStarted(fn) … autoscaler.requestFinished(fn)
 */
import type { ScalingPolicy } from '../../../plan/types.ts';
import type { Clock } from '../../../time/clock.ts';
import { ConcurrencyCollector, windowsOf, KNATIVE_WINDOWS } from './collector.ts';
import type { DeciderOptions } from './decider.ts';
import { ScaleController, type ScaleDecision, type ScaleListener } from './scaler.ts';

export interface MultiScalerOptions {
  /** Each function's scaling policy, by function name. */
  policies: Record<string, ScalingPolicy>;
  clock: Clock;
  readyReplicas: (fn: string) => number;
  /** Default 2000 ms, as Knative. */
  tickIntervalMs?: number;
  decider?: Partial<DeciderOptions>;
  log?: (message: string) => void;
}

export class MultiScaler {
  readonly collector: ConcurrencyCollector;
  readonly #clock: Clock;
  readonly #controllers = new Map<string, ScaleController>();
  readonly #listeners = new Set<ScaleListener>();

  constructor(options: MultiScalerOptions) {
    const { policies, clock } = options;
    this.#clock = clock;
    this.collector = new ConcurrencyCollector({
      windows: (fn) => (policies[fn] ? windowsOf(policies[fn]) : KNATIVE_WINDOWS),
    });
    const now = clock.now();
    for (const [fn, policy] of Object.entries(policies)) {
      this.collector.track(fn, now);
      const controller = new ScaleController({
        fn,
        policy,
        clock,
        metrics: this.collector,
        readyReplicas: () => options.readyReplicas(fn),
        ...(options.tickIntervalMs !== undefined && { tickIntervalMs: options.tickIntervalMs }),
        ...(options.decider && { decider: options.decider }),
        ...(options.log && { log: options.log }),
      });
      controller.onScale((decision) => this.#emit(decision, options.log));
      this.#controllers.set(fn, controller);
    }
  }

  start(): void {
    for (const controller of this.#controllers.values()) controller.start();
  }

  stop(): void {
    for (const controller of this.#controllers.values()) controller.stop();
  }

  /** A request for `fn` arrived (including one the gateway holds during a cold start); wakes `fn` at zero. */
  requestStarted(fn: string): void {
    const controller = this.#controllers.get(fn);
    if (!controller) return;
    const now = this.#clock.now();
    this.collector.requestStarted(fn, now);
    controller.wake(now);
  }

  requestFinished(fn: string): void {
    if (!this.#controllers.has(fn)) return;
    this.collector.requestFinished(fn, this.#clock.now());
  }

  /** Activation from zero without a request to count (e.g. warming every function of a graph at once). */
  wake(fn: string): ScaleDecision | undefined {
    return this.#controllers.get(fn)?.wake(this.#clock.now());
  }

  desiredReplicas(fn: string): number {
    return this.#controllers.get(fn)?.desiredReplicas() ?? 0;
  }

  panicking(fn: string): boolean {
    return this.#controllers.get(fn)?.panicking() ?? false;
  }

  excessBurstCapacity(fn: string): number {
    return this.#controllers.get(fn)?.excessBurstCapacity() ?? 0;
  }

  controller(fn: string): ScaleController | undefined {
    return this.#controllers.get(fn);
  }

  /** Calls `listener` on every change of any function's desired count; returns a function that unsubscribes. */
  onScale(listener: ScaleListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #emit(decision: ScaleDecision, log: ((message: string) => void) | undefined): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(decision);
      } catch (error) {
        log?.(`autoscaler: onScale listener for ${decision.fn} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}
