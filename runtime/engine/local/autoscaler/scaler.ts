/**
 * @module The policy half of the actuator for one function: runs the decider every tick and turns its answers
 * into the replica count the process manager should hold, including Knative's path to zero and back.
 *
 * Tick: every `tickIntervalMs` (Knative: 2 s) on the injected `Clock`, the controller reads the function's stable
 * and panic averages, asks `decide`, and publishes a new desired count through `onScale` when it changes. Invalid
 * decisions (no data) change nothing.
 *
 * Initial scale: the controller starts at `initialScale` (within the bounds) and does not go below it until that many
 * replicas have been ready once (Knative's "scale target initialized").
 *
 * To zero (Knative's `handleScaleToZero`): when the decider says 0, the function first stays at 1 until it has been
 * active for a stable window (since it was activated), then the grace period `scaleToZeroGracePeriodMs` starts; it
 * goes to 0 only if the decider still says 0 and nothing is in flight when the grace period has passed. Any traffic
 * on the way restarts the wait. With Knative's numbers an idle function is at 0 after 60 s + 30 s.
 *
 * From zero: `wake()` (the gateway calls it when a request finds no replica) makes the desired count at least 1 at
 * once, without waiting for a tick, as Knative's activator does.
 */
import type { ScalingPolicy } from '../../../plan/types.ts';
import type { Clock } from '../../../time/clock.ts';
import type { ConcurrencyAverages } from './collector.ts';
import { applyBounds, decide, KNATIVE_DECIDER_DEFAULTS, newDeciderState, type DeciderOptions, type DeciderState } from './decider.ts';

/** Where the controller reads concurrency from (the collector implements it). */
export interface ConcurrencySource {
  averages(fn: string, now: number): ConcurrencyAverages | undefined;
  inFlight(fn: string): number;
}

export type ScaleReason = 'tick' | 'wake' | 'scale-to-zero';

/** One published change of the desired replica count. */
export interface ScaleDecision {
  fn: string;
  at: number;
  previous: number;
  desired: number;
  reason: ScaleReason;
  panicking: boolean;
}

export interface ScaleControllerOptions {
  fn: string;
  policy: ScalingPolicy;
  clock: Clock;
  metrics: ConcurrencySource;
  /**
   * Replicas that are ready to serve right now (the process manager knows). Read at every tick, and once in the
   * constructor: a controller created while more than one replica is ready starts in panic mode, as in Knative.
   */
  readyReplicas: () => number;
  /** Default 2000 ms, as Knative. */
  tickIntervalMs?: number;
  /** Knative's cluster-wide knobs; defaults are Knative's. */
  decider?: Partial<DeciderOptions>;
  /** Where a failing `onScale` listener is reported. */
  log?: (message: string) => void;
}

export type ScaleListener = (decision: ScaleDecision) => void;

export class ScaleController {
  readonly fn: string;
  readonly policy: ScalingPolicy;
  readonly tickIntervalMs: number;
  readonly #clock: Clock;
  readonly #metrics: ConcurrencySource;
  readonly #readyReplicas: () => number;
  readonly #options: DeciderOptions;
  readonly #log: (message: string) => void;
  readonly #listeners = new Set<ScaleListener>();
  readonly #initialDesired: number;
  #state: DeciderState;
  #desired: number;
  #panicking = false;
  #excessBurstCapacity = 0;
  #initialized: boolean;
  /** When the function last went from 0 to some replicas (or started with some). */
  #activeSince: number;
  /** When the grace period towards zero began; `null` when not counting. */
  #idleSince: number | null = null;
  #timer: unknown = undefined;
  #running = false;

  constructor(options: ScaleControllerOptions) {
    const { fn, policy, clock } = options;
    this.fn = fn;
    this.policy = policy;
    this.tickIntervalMs = options.tickIntervalMs ?? KNATIVE_DECIDER_DEFAULTS.tickIntervalMs;
    if (!(this.tickIntervalMs > 0)) throw new RangeError(`ScaleController(${fn}): tickIntervalMs must be > 0, received ${this.tickIntervalMs}`);
    this.#clock = clock;
    this.#metrics = options.metrics;
    this.#readyReplicas = options.readyReplicas;
    this.#options = { ...KNATIVE_DECIDER_DEFAULTS, tickIntervalMs: this.tickIntervalMs, ...options.decider };
    this.#log = options.log ?? (() => {});
    const now = clock.now();
    this.#state = newDeciderState(this.#ready(), now);
    this.#initialDesired = applyBounds(policy.minScale, policy.maxScale, policy.initialScale);
    this.#desired = this.#initialDesired;
    this.#initialized = this.#desired === 0;
    this.#activeSince = now;
  }

  desiredReplicas(): number {
    return this.#desired;
  }

  panicking(): boolean {
    return this.#panicking;
  }

  /** The decider's last excess burst capacity (negative: a burst would not fit in the ready replicas). */
  excessBurstCapacity(): number {
    return this.#excessBurstCapacity;
  }

  /** Calls `listener` on every change of the desired count; returns a function that unsubscribes. */
  onScale(listener: ScaleListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Starts ticking every `tickIntervalMs` on the clock. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#schedule();
  }

  stop(): void {
    this.#running = false;
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** One autoscaling step at `now`: what the timer runs. Returns the change it made, if any. */
  tick(now: number = this.#clock.now()): ScaleDecision | undefined {
    const ready = this.#ready();
    const averages = this.#metrics.averages(this.fn, now);
    const result = decide(
      { policy: this.policy, stableAverage: averages?.stable, panicAverage: averages?.panic, readyReplicas: ready, state: this.#state },
      now,
      this.#options,
    );
    this.#state = result.state;
    this.#panicking = result.panicking;
    this.#excessBurstCapacity = result.excessBurstCapacity;
    if (!this.#initialized && ready >= this.#initialDesired) this.#initialized = true;
    if (!result.valid) return undefined;

    let want = result.desired;
    if (!this.#initialized) want = Math.max(want, this.#initialDesired);
    if (want > 0 || this.#desired === 0) {
      this.#idleSince = null;
      return this.#set(want, now, 'tick');
    }

    // The decider wants 0 and replicas are up: Knative's handleScaleToZero.
    if (this.#metrics.inFlight(this.fn) > 0) {
      // Traffic the window has not seen yet: hold on.
      this.#idleSince = null;
      return undefined;
    }
    if (now - this.#activeSince < this.policy.stableWindowMs) {
      // Active for less than a stable window: stay at (at most) 1 for the rest of it.
      this.#idleSince = null;
      return this.#set(Math.min(this.#desired, 1), now, 'tick');
    }
    this.#idleSince ??= now;
    if (now - this.#idleSince >= this.policy.scaleToZeroGracePeriodMs) return this.#set(0, now, 'scale-to-zero');
    return this.#set(Math.min(this.#desired, 1), now, 'tick');
  }

  /**
   * Activation: a request arrived. At 0 replicas this makes the desired count at least 1 (or minScale) now, without
   * waiting for a tick; otherwise it only stops a running grace period. Returns the change it made, if any.
   */
  wake(now: number = this.#clock.now()): ScaleDecision | undefined {
    this.#idleSince = null;
    if (this.#desired > 0) return undefined;
    return this.#set(applyBounds(this.policy.minScale, this.policy.maxScale, 1), now, 'wake');
  }

  #ready(): number {
    const ready = this.#readyReplicas();
    return Number.isFinite(ready) && ready > 0 ? Math.floor(ready) : 0;
  }

  #set(desired: number, now: number, reason: ScaleReason): ScaleDecision | undefined {
    const previous = this.#desired;
    if (desired === previous) return undefined;
    this.#desired = desired;
    if (previous === 0) this.#activeSince = now;
    const decision: ScaleDecision = { fn: this.fn, at: now, previous, desired, reason, panicking: this.#panicking };
    for (const listener of [...this.#listeners]) {
      try {
        listener(decision);
      } catch (error) {
        this.#log(`autoscaler: onScale listener for ${this.fn} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return decision;
  }

  #schedule(): void {
    this.#timer = this.#clock.setTimeout(() => {
      if (!this.#running) return;
      // Schedule first, so the loop survives whatever the tick does.
      this.#schedule();
      this.tick();
    }, this.tickIntervalMs);
  }
}
