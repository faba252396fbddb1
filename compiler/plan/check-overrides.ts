/**
 * @module Checks on command-line overrides: their own ranges, and the policies they produce together with
 * the file (an override minScale above a node's maxScale).
 */
import type { DeploymentPlan } from '../../runtime/plan/types.ts';
import { OverridesSchema, specIssue } from '../spec/index.ts';
import type { SpecIssue } from '../spec/index.ts';
import { fromZodIssues } from '../validate/index.ts';
import type { PlanOverrides } from './overrides.ts';

const FROM_CLI = ' (set on the command line)';

/** Range and shape problems of the overrides themselves, at paths `overrides.scaling.minScale`, … */
export function checkOverrides(overrides: PlanOverrides | undefined): SpecIssue[] {
  if (overrides === undefined) return [];
  const parsed = OverridesSchema.safeParse(overrides, { reportInput: true });
  if (parsed.success) return [];
  return fromZodIssues(parsed.error.issues, OverridesSchema, ['overrides']).map((issue) => ({ ...issue, hint: `${issue.hint}${FROM_CLI}` }));
}

/** minScale above maxScale in any function once the overrides are applied. */
export function checkPlannedScaling(plan: DeploymentPlan, overrides: PlanOverrides | undefined): SpecIssue[] {
  const scaling = overrides?.scaling;
  if (scaling?.minScale === undefined && scaling?.maxScale === undefined) return [];
  const bad = Object.values(plan.functions).filter((fn) => fn.scaling.maxScale !== 0 && fn.scaling.minScale > fn.scaling.maxScale);
  if (bad.length === 0) return [];
  const key = scaling.minScale !== undefined ? 'minScale' : 'maxScale';
  const list = bad.map((fn) => `${fn.name} (minScale ${fn.scaling.minScale}, maxScale ${fn.scaling.maxScale})`).join(', ');
  return [
    specIssue('scale_bounds', ['overrides', 'scaling', key], `scaling.${key}: the override leaves minScale above maxScale in ${list}`,
      `choose a ${key} that keeps minScale at most maxScale${FROM_CLI}`, scaling[key]),
  ];
}
