/**
 * @module Time as a parameter: the `Clock` that loops, timeouts and grace periods are given.
 *
 * `now()` is monotonic milliseconds (not wall time): it never jumps back when the system clock is set, so it is only
 * good for measuring intervals. Tests inject a manual clock (test/helpers/manual-clock.ts) and step it instead of
 * sleeping.
 */

export interface Clock {
  /** Monotonic milliseconds since an arbitrary origin. */
  now(): number;
  /** Calls `fn` once after `ms` milliseconds; the handle is only good for this clock's `clearTimeout`. */
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The process's real clock: `performance.now()` and the global timers. */
export const realClock: Clock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
} satisfies Clock;

/** Resolves after `ms` on `clock` (a manual clock resolves it when advanced past the deadline). */
export function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => {
    clock.setTimeout(resolve, ms);
  });
}
