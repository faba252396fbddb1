/** @module Test fixtures for the autoscaler: Knative's default scaling policy, with overrides. */

export { knativePolicy } from '../../helpers/scaling-policy.ts';

export const SECOND = 1000;
export const MINUTE = 60_000;
