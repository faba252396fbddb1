/**
 * @module Whether the router state store answers, as this orchestrator replica last saw it, and the warnings about it.
 *
 * Warnings are rate-limited: one when the store stops answering, then at most one every `warnEveryMs` while it stays
 * down (saying how long, and how many operations failed meanwhile), and one line when it answers again. Never one
 * line per request.
 */
import type { Clock } from '../time/clock.ts';

export interface StateHealthView {
  available: boolean;
  /** How long it has been unavailable (ms), when it is. */
  unavailableForMs?: number;
  /** The last failure's message, when unavailable. */
  lastError?: string;
  /** Store operations that failed since this replica started. */
  failures: number;
}

export interface StateHealth {
  readonly available: boolean;
  /** A store operation succeeded. */
  ok(): void;
  /** A store operation (`what`) failed with `error`. */
  failed(what: string, error: unknown): void;
  /** Called each time the store answers again after being unavailable. */
  onRecover(listener: () => void): void;
  view(): StateHealthView;
}

export interface StateHealthOptions {
  clock: Clock;
  /** Where the store is, for messages: "redis redis://host:6379/". */
  where: string;
  warn: (message: string) => void;
  info: (message: string) => void;
  /** At most one "still unavailable" warning per this many ms (default 30 s). */
  warnEveryMs?: number;
  /** Extra words for the warnings, e.g. how much feedback is pending. */
  context?: () => string;
}

export function createStateHealth({ clock, where, warn, info, warnEveryMs = 30_000, context = () => '' }: StateHealthOptions): StateHealth {
  let available = true;
  let downSince = 0;
  let lastWarnAt = -Infinity;
  let failuresSinceWarn = 0;
  let failures = 0;
  let lastError = '';
  const listeners: Array<() => void> = [];
  const extra = () => {
    const words = context();
    return words ? `; ${words}` : '';
  };

  return {
    get available() {
      return available;
    },
    ok() {
      if (available) return;
      available = true;
      info(`state store ${where} is reachable again after ${seconds(clock.now() - downSince)}${extra()}`);
      for (const listener of listeners) listener();
    },
    failed(what, error) {
      failures++;
      failuresSinceWarn++;
      lastError = error instanceof Error ? error.message : String(error);
      const now = clock.now();
      if (available) {
        available = false;
        downSince = now;
        lastWarnAt = now;
        failuresSinceWarn = 0;
        warn(
          `state store ${where} is unavailable (${what}: ${lastError}): predictions go on with the last known router state, feedback is queued and retried${extra()}`,
        );
        return;
      }
      if (now - lastWarnAt >= warnEveryMs) {
        warn(`state store ${where} is still unavailable after ${seconds(now - downSince)} (${failuresSinceWarn} failed operations since the last warning; last: ${lastError})${extra()}`);
        lastWarnAt = now;
        failuresSinceWarn = 0;
      }
    },
    onRecover(listener) {
      listeners.push(listener);
    },
    view() {
      return available
        ? { available, failures }
        : { available, unavailableForMs: Math.round(clock.now() - downSince), lastError, failures };
    },
  };
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
