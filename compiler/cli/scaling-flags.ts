/**
 * @module `switchyard up`'s autoscaling flags: each sets one Knative knob for every function, over the graph
 * file (node scaling, then `spec.defaults.scaling`). Values are written as in the file: durations (`6s`),
 * percentages (`70` or `70%`), replica counts. Ranges are checked with the file's rules when the graph compiles.
 */
import type { ScalingPolicy } from '../../runtime/plan/types.ts';
import { parseDurationFlag } from './flags.ts';

export interface ScalingFlags {
  minScale?: string;
  maxScale?: string;
  initialScale?: string;
  target?: string;
  targetUtilization?: string;
  stableWindow?: string;
  panicWindow?: string;
  panicThreshold?: string;
  scaleToZeroGrace?: string;
  scaleDownDelay?: string;
}

/** The flags, their option names and what they set: for `up`'s options and its help. */
export const SCALING_FLAGS: ReadonlyArray<{ flag: string; key: keyof ScalingFlags; value: string; help: string }> = [
  { flag: '--min-scale', key: 'minScale', value: '<n>', help: 'fewest replicas of every function (0 allows scale to zero)' },
  { flag: '--max-scale', key: 'maxScale', value: '<n>', help: 'most replicas of every function (0: unbounded)' },
  { flag: '--initial-scale', key: 'initialScale', value: '<n>', help: 'replicas started at first activation' },
  { flag: '--target', key: 'target', value: '<n>', help: 'concurrent requests per replica the autoscaler aims for (Knative: 100)' },
  { flag: '--target-utilization', key: 'targetUtilization', value: '<percent>', help: 'share of the target actually aimed for (Knative: 70)' },
  { flag: '--stable-window', key: 'stableWindow', value: '<duration>', help: 'window concurrency is averaged over (Knative: 60s; at least 6s)' },
  { flag: '--panic-window', key: 'panicWindow', value: '<percent>', help: 'panic window, as a percentage of the stable window (Knative: 10)' },
  { flag: '--panic-threshold', key: 'panicThreshold', value: '<percent>', help: 'panic when demand exceeds this percentage of capacity (Knative: 200)' },
  { flag: '--scale-to-zero-grace', key: 'scaleToZeroGrace', value: '<duration>', help: 'idle time before a function scales to zero (Knative: 30s)' },
  { flag: '--scale-down-delay', key: 'scaleDownDelay', value: '<duration>', help: 'how long a higher scale is kept before scaling down (Knative: 0s)' },
];

/** The overrides the flags ask for (only those given). Throws an error naming the flag for a malformed value. */
export function scalingOverrides(flags: ScalingFlags): Partial<ScalingPolicy> {
  const out: Partial<ScalingPolicy> = {};
  if (flags.minScale !== undefined) out.minScale = parseCount('--min-scale', flags.minScale);
  if (flags.maxScale !== undefined) out.maxScale = parseCount('--max-scale', flags.maxScale);
  if (flags.initialScale !== undefined) out.initialScale = parseCount('--initial-scale', flags.initialScale);
  if (flags.target !== undefined) out.target = parseNumber('--target', flags.target, 'a number of concurrent requests such as 10');
  if (flags.targetUtilization !== undefined) {
    const percent = parsePercent('--target-utilization', flags.targetUtilization);
    if (!(percent > 0 && percent <= 100)) throw new Error(`--target-utilization takes a percentage above 0 and at most 100, such as 70; received "${flags.targetUtilization}"`);
    out.targetUtilization = percent / 100;
  }
  if (flags.stableWindow !== undefined) out.stableWindowMs = parseDurationFlag('--stable-window', flags.stableWindow);
  if (flags.panicWindow !== undefined) out.panicWindowPercentage = parsePercent('--panic-window', flags.panicWindow);
  if (flags.panicThreshold !== undefined) out.panicThresholdPercentage = parsePercent('--panic-threshold', flags.panicThreshold);
  if (flags.scaleToZeroGrace !== undefined) out.scaleToZeroGracePeriodMs = parseDurationFlag('--scale-to-zero-grace', flags.scaleToZeroGrace);
  if (flags.scaleDownDelay !== undefined) out.scaleDownDelayMs = parseDurationFlag('--scale-down-delay', flags.scaleDownDelay);
  return out;
}

/** A whole number ≥ 0, for flags such as `--max-queue`. */
export function parseCount(flag: string, value: string): number {
  const n = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n)) throw new Error(`${flag} takes a whole number such as 4; received "${value}"`);
  return n;
}

function parseNumber(flag: string, value: string, expected: string): number {
  const n = /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isFinite(n)) throw new Error(`${flag} takes ${expected}; received "${value}"`);
  return n;
}

function parsePercent(flag: string, value: string): number {
  return parseNumber(flag, value.trim().replace(/%$/, ''), 'a percentage such as 70 or 70%');
}
