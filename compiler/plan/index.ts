/** @module spec → DeploymentPlan: defaults, one resolver per concern, the pure `planGraph`, and `compileSpecFile`. */
export * from './defaults.ts';
export type { PlanOverrides } from './overrides.ts';
export * from './resolve-scaling.ts';
export * from './resolve-device.ts';
export * from './resolve-resources.ts';
export * from './resolve-state.ts';
export * from './resolve-canary.ts';
export * from './resolve-logger.ts';
export * from './resolve-tracing.ts';
export * from './resolve-timeout.ts';
export * from './resolve-implementation.ts';
export * from './walk.ts';
export * from './plan-graph.ts';
export * from './sources.ts';
export * from './check-overrides.ts';
export * from './compile-spec-file.ts';
