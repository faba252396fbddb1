/**
 * @module The benchmark scenario convention. A scenario is a module `bench/scenarios/<name>.ts` that exports
 * `scenario`; `bench/run.ts` runs it, writes its result as `bench/results/<name>.json` and puts its
 * `summary` (markdown lines) into `bench/results/README.md`.
 */

export interface ScenarioContext {
  /** Where results go (scenarios may write extra files there). */
  resultsDir: string;
  /** One progress line for the terminal. */
  log(line: string): void;
  /** Fewer, shorter iterations: for tests and smoke runs, not for figures. */
  quick: boolean;
}

export interface ScenarioResult {
  /** Markdown lines for the results README. */
  summary: string[];
  [key: string]: unknown;
}

export interface Scenario {
  name: string;
  description: string;
  run(ctx: ScenarioContext): Promise<ScenarioResult>;
}
