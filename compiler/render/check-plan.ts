/**
 * @module The checks that Knative's admission webhook would make, made by the compiler before rendering.
 *
 * Without the webhook (DESIGN.md, "Facts about the Kubernetes API") the CRDs check types only: a negative
 * containerConcurrency or a min-scale above max-scale is stored and breaks later. The ranges below are Knative
 * Serving's (pkg/apis/autoscaling, pkg/apis/serving) with its default cluster configuration.
 */
import type { DeploymentPlan, PlanFunction, ScalingPolicy } from '../../runtime/plan/types.ts';
import { goDuration } from './autoscaling.ts';
import { DEVICE_SCHEDULING } from './device.ts';
import { error, warning, type RenderIssue } from './issue.ts';
import { checkNames } from './check-names.ts';
import { QUANTITY_PATTERN, quantityValue } from './quantity.ts';
import { functionTimeoutSeconds, KNATIVE_MAX_TIMEOUT_SECONDS } from './timeouts.ts';

/** Knative's bounds (defaults of config-autoscaler and config-defaults where the bound is configurable). */
export const KNATIVE_LIMITS = {
  /** config-defaults `container-concurrency-max-limit`. */
  containerConcurrencyMax: 1000,
  targetMin: 0.01,
  targetUtilizationPercentage: { min: 1, max: 100 },
  windowMs: { min: 6_000, max: 3_600_000 },
  panicWindowPercentage: { min: 1, max: 100 },
  panicThresholdPercentage: { min: 110, max: 1000 },
  scaleDownDelayMs: { min: 0, max: 3_600_000 },
  scaleToZeroPodRetentionMs: { min: 0, max: 3_600_000 },
} as const;

type Issues = RenderIssue[];

/**
 * Every problem that would make Knative refuse, or silently misread, the services rendered from this plan.
 * Errors stop `renderManifests`; warnings describe what a default Knative cluster will do differently.
 */
export function checkPlanForKnative(plan: DeploymentPlan): RenderIssue[] {
  const issues: Issues = [];
  checkNames(plan, issues);
  for (const [name, node] of Object.entries(plan.nodes)) {
    if (!Number.isFinite(node.timeoutMs) || node.timeoutMs <= 0) {
      issues.push(
        error(
          'invalid_node_timeout',
          `nodes.${name}.timeoutMs`,
          node.timeoutMs,
          `timeout ${node.timeoutMs} ms is not a positive number`,
          'write a timeout above 0, e.g. "5s"',
        ),
      );
    }
  }
  for (const [name, fn] of Object.entries(plan.functions)) {
    const path = `functions.${name}`;
    checkScaling(fn.scaling, `${path}.scaling`, issues);
    checkResources(fn, `${path}.resources`, issues);
    checkDevice(fn, `${path}.device`, issues);
    const timeoutSeconds = functionTimeoutSeconds(plan, fn);
    if (timeoutSeconds > KNATIVE_MAX_TIMEOUT_SECONDS) {
      issues.push(
        warning(
          'timeout_above_knative_max',
          path,
          timeoutSeconds,
          `request timeout ${timeoutSeconds}s (from the node timeouts) is above Knative's default max-revision-timeout-seconds ${KNATIVE_MAX_TIMEOUT_SECONDS}`,
          `lower the timeouts of ${fn.kind === 'orchestrator' ? 'the nodes on the longest path' : 'its nodes'}, or raise max-revision-timeout-seconds in the knative-serving config-defaults ConfigMap`,
        ),
      );
    }
  }
  return issues;
}

interface RangeRule {
  field: keyof ScalingPolicy;
  /** The Knative name of the knob, as the user sees it in the annotation. */
  knob: string;
  min: number;
  max: number;
  integer: boolean;
  /** Shows the value as a duration (milliseconds in the plan). */
  duration?: boolean;
  /** Knative refuses sub-second precision for this duration. */
  wholeSeconds?: boolean;
  hint: string;
}

const L = KNATIVE_LIMITS;
const RANGE_RULES: readonly RangeRule[] = [
  { field: 'minScale', knob: 'min-scale', min: 0, max: Infinity, integer: true, hint: 'write a whole number >= 0 (0 allows scale to zero)' },
  { field: 'maxScale', knob: 'max-scale', min: 0, max: Infinity, integer: true, hint: 'write a whole number >= 0 (0 means unbounded)' },
  { field: 'initialScale', knob: 'initial-scale', min: 0, max: Infinity, integer: true, hint: 'write a whole number >= 1' },
  { field: 'target', knob: 'target', min: L.targetMin, max: Infinity, integer: false, hint: `write a concurrency target >= ${L.targetMin}` },
  { field: 'containerConcurrency', knob: 'containerConcurrency', min: 0, max: L.containerConcurrencyMax, integer: true, hint: `write a whole number from 0 (unlimited) to ${L.containerConcurrencyMax}` },
  { field: 'stableWindowMs', knob: 'window', min: L.windowMs.min, max: L.windowMs.max, integer: true, duration: true, wholeSeconds: true, hint: 'write a stable window from 6s to 1h in whole seconds, e.g. "60s"' },
  { field: 'panicWindowPercentage', knob: 'panic-window-percentage', min: L.panicWindowPercentage.min, max: L.panicWindowPercentage.max, integer: false, hint: 'write a percentage of the stable window from 1 to 100 (Knative: 10)' },
  { field: 'panicThresholdPercentage', knob: 'panic-threshold-percentage', min: L.panicThresholdPercentage.min, max: L.panicThresholdPercentage.max, integer: false, hint: 'write a percentage of capacity from 110 to 1000 (Knative: 200)' },
  { field: 'scaleDownDelayMs', knob: 'scale-down-delay', min: L.scaleDownDelayMs.min, max: L.scaleDownDelayMs.max, integer: true, duration: true, wholeSeconds: true, hint: 'write a delay from 0s to 1h in whole seconds' },
  { field: 'scaleToZeroGracePeriodMs', knob: 'scale-to-zero-pod-retention-period', min: L.scaleToZeroPodRetentionMs.min, max: L.scaleToZeroPodRetentionMs.max, integer: true, duration: true, hint: 'write a grace period from 0s to 1h' },
];

function shown(rule: RangeRule, value: number): string {
  return rule.duration === true && Number.isInteger(value) ? goDuration(value) : String(value);
}

function bound(rule: RangeRule, value: number): string {
  return rule.duration === true ? goDuration(value) : String(value);
}

function checkScaling(scaling: ScalingPolicy, path: string, issues: Issues): void {
  /** Fields with a problem of their own: the checks between two fields skip them, to report one thing once. */
  const invalid = new Set<keyof ScalingPolicy>();
  for (const rule of RANGE_RULES) {
    const value = scaling[rule.field];
    const at = `${path}.${rule.field}`;
    const before = issues.length;
    if (typeof value !== 'number' || !Number.isFinite(value) || (rule.integer && !Number.isInteger(value))) {
      issues.push(
        error(
          'not_a_number',
          at,
          value,
          `${rule.knob} ${String(value)} is not ${rule.integer ? 'a whole number' : 'a number'}`,
          rule.hint,
        ),
      );
    } else if (value < rule.min || value > rule.max) {
      const range = rule.max === Infinity ? `>= ${bound(rule, rule.min)}` : `from ${bound(rule, rule.min)} to ${bound(rule, rule.max)}`;
      issues.push(
        error(
          'out_of_range',
          at,
          value,
          `${rule.knob} ${shown(rule, value)} is out of range: it must be ${range}`,
          rule.hint,
        ),
      );
    } else if (rule.wholeSeconds === true && value % 1000 !== 0) {
      issues.push(
        error(
          'sub_second_duration',
          at,
          value,
          `${rule.knob} ${shown(rule, value)} has sub-second precision, which Knative refuses`,
          rule.hint,
        ),
      );
    }
    if (issues.length > before) invalid.add(rule.field);
  }
  const valid = (...fields: Array<keyof ScalingPolicy>) => fields.every((field) => !invalid.has(field));
  const utilization = scaling.targetUtilization;
  const percent = utilization * 100;
  if (!Number.isFinite(percent) || percent < L.targetUtilizationPercentage.min - 1e-9 || percent > L.targetUtilizationPercentage.max + 1e-9) {
    issues.push(
      error(
        'out_of_range',
        `${path}.targetUtilization`,
        utilization,
        `target utilization ${String(utilization)} (target-utilization-percentage ${String(percent)}) is out of range: it must be from 0.01 to 1`,
        'write a fraction of the target from 0.01 to 1 (Knative: 0.7)',
      ),
    );
  }
  const { minScale, maxScale, initialScale, target, containerConcurrency } = scaling;
  if (valid('minScale', 'maxScale') && maxScale > 0 && minScale > maxScale) {
    issues.push(
      error(
        'min_scale_above_max_scale',
        `${path}.minScale`,
        minScale,
        `min-scale ${minScale} is greater than max-scale ${maxScale}`,
        'lower minScale or raise maxScale (0 means unbounded)',
      ),
    );
  }
  if (valid('initialScale', 'maxScale') && maxScale > 0 && initialScale > maxScale) {
    issues.push(
      error(
        'initial_scale_above_max_scale',
        `${path}.initialScale`,
        initialScale,
        `initial-scale ${initialScale} is greater than max-scale ${maxScale}`,
        'lower initialScale or raise maxScale',
      ),
    );
  }
  if (initialScale === 0) {
    issues.push(
      warning(
        'zero_initial_scale',
        `${path}.initialScale`,
        initialScale,
        'initial-scale 0 is refused by Knative unless the cluster sets allow-zero-initial-scale: "true" in config-autoscaler',
        'write initialScale 1, or enable allow-zero-initial-scale on the cluster',
      ),
    );
  }
  if (valid('target', 'containerConcurrency') && containerConcurrency > 0 && target > containerConcurrency) {
    issues.push(
      warning(
        'target_above_container_concurrency',
        `${path}.target`,
        target,
        `target ${target} is above containerConcurrency ${containerConcurrency}: Knative scales on containerConcurrency instead`,
        'write a target <= containerConcurrency',
      ),
    );
  }
}

function checkResources(fn: PlanFunction, path: string, issues: Issues): void {
  for (const side of ['requests', 'limits'] as const) {
    for (const resource of ['cpu', 'memory'] as const) {
      const quantity = fn.resources[side][resource];
      if (quantity !== undefined && !QUANTITY_PATTERN.test(quantity)) {
        issues.push(
          error(
            'invalid_quantity',
            `${path}.${side}.${resource}`,
            quantity,
            `"${quantity}" is not a Kubernetes quantity`,
            resource === 'cpu' ? 'write cores such as "500m" or "2"' : 'write bytes such as "256Mi" or "1Gi"',
          ),
        );
      }
    }
  }
  for (const resource of ['cpu', 'memory'] as const) {
    const request = fn.resources.requests[resource];
    const limit = fn.resources.limits[resource];
    if (request === undefined || limit === undefined) continue;
    const requested = quantityValue(request);
    const limited = quantityValue(limit);
    if (requested !== undefined && limited !== undefined && requested > limited) {
      issues.push(
        error(
          'request_above_limit',
          `${path}.requests.${resource}`,
          request,
          `${resource} request ${request} is above its limit ${limit}, which Kubernetes refuses`,
          `lower the request or raise the limit`,
        ),
      );
    }
  }
}

function checkDevice(fn: PlanFunction, path: string, issues: Issues): void {
  const { device } = fn;
  if (device.kind === 'cpu') return;
  if (!(device.kind in DEVICE_SCHEDULING)) {
    issues.push(
      error(
        'unknown_device',
        `${path}.kind`,
        device.kind,
        `unsupported device "${String(device.kind)}"`,
        `write one of cpu, ${Object.keys(DEVICE_SCHEDULING).join(', ')}`,
      ),
    );
    return;
  }
  if (!Number.isInteger(device.count) || device.count < 1) {
    issues.push(
      error(
        'invalid_device_count',
        `${path}.count`,
        device.count,
        `${device.kind} count ${device.count} is not a whole number >= 1`,
        'write how many devices each replica needs, e.g. 1',
      ),
    );
  }
  if (device.affinity === 'preferred') {
    issues.push(
      warning(
        'preferred_device_not_requested',
        `${path}.affinity`,
        device.affinity,
        `a preferred ${device.kind} is not requested on Kubernetes (a request would keep the pod Pending where no device is free): the function is placed on a ${device.kind} node when one has room, but runs on CPU`,
        `write affinity: required to give the function a ${device.kind} on Knative`,
      ),
    );
  }
}
