/**
 * @module The whole front half of `switchyard compile`: read the graph file, validate everything at once,
 * plan it, and say where its models and component modules are. This is what the CLI calls.
 */
import type { DeploymentPlan } from '../../runtime/plan/types.ts';
import { loadGraphFile } from '../spec/index.ts';
import type { Locator, SpecIssue } from '../spec/index.ts';
import { finalizeIssues, validateGraph } from '../validate/index.ts';
import { checkOverrides, checkPlannedScaling } from './check-overrides.ts';
import type { PlanOverrides } from './overrides.ts';
import { planGraph } from './plan-graph.ts';
import { resolveSources } from './sources.ts';
import type { PlanSources } from './sources.ts';

export type CompileSpecResult =
  | { ok: true; plan: DeploymentPlan; sources: PlanSources; /** absolute directory of the graph file */ graphDir: string }
  | { ok: false; issues: SpecIssue[] };

/**
 * Reads, validates and plans a graph file. Never throws for a bad file: every problem comes back in `issues`
 * (render them with `formatIssues`).
 * @example
 * const result = await compileSpecFile('graph.yaml', { overrides: { scaling: { minScale: 1 } } });
 * if (!result.ok) process.stderr.write(formatIssues(result.issues, 'graph.yaml'));
 */
export async function compileSpecFile(file: string, options: { overrides?: PlanOverrides; log?: (line: string) => void } = {}): Promise<CompileSpecResult> {
  const loaded = await loadGraphFile(file);
  // Override issues are about the command line, not a line of the file.
  const locate: Locator = (path) => (path[0] === 'overrides' ? undefined : loaded.locate(path));
  const overrideIssues = checkOverrides(options.overrides);
  if (loaded.syntaxError) return { ok: false, issues: finalizeIssues([...loaded.issues, ...overrideIssues], locate) };

  const validated = await validateGraph(loaded.data, { graphDir: loaded.graphDir, locate, ...(options.log ? { log: options.log } : {}) });
  const issues = [...loaded.issues, ...(validated.ok ? [] : validated.issues), ...overrideIssues];
  if (!validated.ok || issues.length > 0) return { ok: false, issues: finalizeIssues(issues, locate) };

  const plan = planGraph(validated.spec, {
    componentMethods: validated.componentMethods,
    ...(options.overrides === undefined ? {} : { overrides: options.overrides }),
  });
  const planned = checkPlannedScaling(plan, options.overrides);
  if (planned.length > 0) return { ok: false, issues: finalizeIssues(planned, locate) };
  return { ok: true, plan, sources: resolveSources(validated.spec, loaded.graphDir), graphDir: loaded.graphDir };
}
