/**
 * @module What this orchestrator replica has seen of each shadow since it started, for GET /api/v1.0/shadows and
 * the UI: its walks by outcome, and how its answers compared with its node's (shadow-compare.ts). Prometheus has
 * the same counts, summed over replicas and kept across restarts by the scraper.
 */
import type { AnswerComparison } from './shadow-compare.ts';
import type { ShadowOutcome } from './walker.ts';

export interface ShadowView {
  node: string;
  shadow: string;
  walks: { ok: number; failed: number; skipped: number };
  /** Answers compared with the node's (both numeric, same shape). */
  compared: number;
  rows: number;
  agreeingRows: number;
  /** `agreeingRows / rows`; null before any row was compared. */
  agreement: number | null;
  /** The largest absolute difference seen in any value. */
  maxAbsDiff: number | null;
}

export interface ShadowStats {
  walked(outcome: ShadowOutcome): void;
  compared(node: string, shadow: string, comparison: AnswerComparison): void;
  snapshot(): ShadowView[];
}

export function createShadowStats(pairs: ReadonlyArray<readonly [node: string, shadow: string]>): ShadowStats {
  const views = new Map<string, ShadowView>();
  const key = (node: string, shadow: string) => `${node}\u0000${shadow}`;
  const viewOf = (node: string, shadow: string): ShadowView => {
    let view = views.get(key(node, shadow));
    if (view === undefined) {
      view = { node, shadow, walks: { ok: 0, failed: 0, skipped: 0 }, compared: 0, rows: 0, agreeingRows: 0, agreement: null, maxAbsDiff: null };
      views.set(key(node, shadow), view);
    }
    return view;
  };
  for (const [node, shadow] of pairs) viewOf(node, shadow);
  return {
    walked: (outcome) => void viewOf(outcome.of, outcome.shadow).walks[outcome.outcome]++,
    compared(node, shadow, comparison) {
      const view = viewOf(node, shadow);
      view.compared++;
      view.rows += comparison.rows;
      view.agreeingRows += comparison.agreeing;
      view.agreement = view.rows === 0 ? null : view.agreeingRows / view.rows;
      view.maxAbsDiff = Math.max(view.maxAbsDiff ?? 0, comparison.maxAbsDiff);
    },
    snapshot: () => [...views.values()].map((view) => ({ ...view, walks: { ...view.walks } })),
  };
}
