/**
 * @module How the orchestrator tells of its shadow walks: each outcome counted (`switchyard_shadow_requests_total`),
 * and failed or skipped ones in a warning at most once per `warnEveryMs`, with how many since the last line — a
 * shadow that fails on every request costs one line per period, and the client never sees it fail.
 */
import type { Clock } from '../time/index.ts';
import type { ShadowOutcome } from './walker.ts';

export function createShadowReport({
  count,
  warn,
  clock,
  warnEveryMs = 30_000,
}: {
  count?: ((outcome: ShadowOutcome) => void) | undefined;
  warn?: ((message: string) => void) | undefined;
  clock: Clock;
  warnEveryMs?: number;
}): (outcome: ShadowOutcome) => void {
  let lastWarnAt = -Infinity;
  let held = 0;
  return (outcome) => {
    count?.(outcome);
    if (outcome.outcome === 'ok') return;
    if (clock.now() - lastWarnAt < warnEveryMs) {
      held++;
      return;
    }
    lastWarnAt = clock.now();
    const what =
      outcome.outcome === 'failed'
        ? `failed: ${outcome.error instanceof Error ? outcome.error.message : String(outcome.error)}`
        : 'was skipped: too many shadow walks were already running (the shadows are slower than the traffic)';
    const since = held === 0 ? '' : ` (and ${held} more failed or skipped since the last line)`;
    held = 0;
    warn?.(`shadow "${outcome.shadow}" of "${outcome.of}" ${what}${since}. Clients' answers are not affected.`);
  };
}
