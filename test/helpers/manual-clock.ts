/**
 * @module A manual `Clock` for tests: time stands still until the test advances it, and timers fire in order.
 *
 *   const clock = new ManualClock();
 *   clock.setTimeout(fire, 30_000);
 *   clock.advance(29_999); // nothing yet
 *   clock.advance(1);      // fire() runs, clock.now() === 30_000
 */
import type { Clock } from '../../runtime/time/clock.ts';

interface Timer {
  id: number;
  due: number;
  fn: () => void;
}

export class ManualClock implements Clock {
  #now: number;
  #nextId = 1;
  #timers: Timer[] = [];

  constructor(start = 0) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.#nextId++;
    const delay = Number.isFinite(ms) && ms > 0 ? ms : 0;
    this.#timers.push({ id, due: this.#now + delay, fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.#timers = this.#timers.filter((t) => t.id !== handle);
  }

  /** Number of timers not yet fired. */
  pending(): number {
    return this.#timers.length;
  }

  /**
   * Moves time forward by `ms`, firing every timer that falls due on the way, earliest first (ties in the order they
   * were set). `now()` reads each timer's due time while it runs; timers set by a firing timer fire too when they
   * fall within the window.
   */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new Error(`ManualClock.advance: ms must be >= 0, received ${ms}`);
    const end = this.#now + ms;
    for (let t = this.#popDue(end); t; t = this.#popDue(end)) {
      this.#now = t.due;
      t.fn();
    }
    this.#now = end;
  }

  /**
   * Like `advance`, but lets pending promise callbacks run after each timer (so code that awaits a timer and then sets
   * another one is stepped through as it would be in real time).
   */
  async advanceAsync(ms: number): Promise<void> {
    if (!(ms >= 0)) throw new Error(`ManualClock.advanceAsync: ms must be >= 0, received ${ms}`);
    const end = this.#now + ms;
    await flushMicrotasks();
    for (let t = this.#popDue(end); t; t = this.#popDue(end)) {
      this.#now = t.due;
      t.fn();
      await flushMicrotasks();
    }
    this.#now = end;
  }

  #popDue(end: number): Timer | undefined {
    let best: Timer | undefined;
    for (const t of this.#timers) {
      if (t.due <= end && (!best || t.due < best.due || (t.due === best.due && t.id < best.id))) best = t;
    }
    if (best) this.#timers = this.#timers.filter((t) => t !== best);
    return best;
  }
}

/** Lets every already-queued promise callback (and the ones they queue) run. */
export function flushMicrotasks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
