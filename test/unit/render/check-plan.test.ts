import { describe, expect, it } from 'vitest';
import { checkPlanForKnative, formatRenderIssue, type RenderIssue } from '../../../compiler/render/index.ts';
import type { DeploymentPlan, PlanFunction } from '../../../runtime/plan/types.ts';
import { seedPlan } from './seed-plan.ts';

function fn(plan: DeploymentPlan, name: string): PlanFunction {
  const found = plan.functions[name];
  if (found === undefined) throw new Error(`fixture has no function ${name}`);
  return found;
}

/** The issues for the seed plan changed by `change`, without the seed's own preferred-GPU warning. */
function issuesAfter(change: (plan: DeploymentPlan) => void): RenderIssue[] {
  const plan = seedPlan();
  change(plan);
  return checkPlanForKnative(plan).filter((i) => !(i.code === 'preferred_device_not_requested' && i.path === 'functions.weak-model.device.affinity'));
}

const brief = (i: RenderIssue) => `${i.severity} ${i.code} ${i.path}: ${i.message}`;

describe('checkPlanForKnative', () => {
  it('finds nothing wrong with the seed plan but its preferred GPU, which it explains', () => {
    expect(checkPlanForKnative(seedPlan()).map(formatRenderIssue)).toEqual([
      '⚠ functions.weak-model.device.affinity: a preferred nvidia-gpu is not requested on Kubernetes (a request would keep the pod Pending where no device is free): the function is placed on a nvidia-gpu node when one has room, but runs on CPU\n' +
        '  → write affinity: required to give the function a nvidia-gpu on Knative',
    ]);
  });

  it.each<[string, (plan: DeploymentPlan) => void, string[]]>([
    ['a negative containerConcurrency', (p) => { fn(p, 'features').scaling.containerConcurrency = -1; }, [
      'error out_of_range functions.features.scaling.containerConcurrency: containerConcurrency -1 is out of range: it must be from 0 to 1000',
    ]],
    ['a containerConcurrency above Knative\'s limit', (p) => { fn(p, 'features').scaling.containerConcurrency = 1001; }, [
      'error out_of_range functions.features.scaling.containerConcurrency: containerConcurrency 1001 is out of range: it must be from 0 to 1000',
    ]],
    ['a fractional containerConcurrency', (p) => { fn(p, 'features').scaling.containerConcurrency = 2.5; }, [
      'error not_a_number functions.features.scaling.containerConcurrency: containerConcurrency 2.5 is not a whole number',
    ]],
    ['minScale above maxScale', (p) => { Object.assign(fn(p, 'good-model').scaling, { minScale: 9, initialScale: 1 }); }, [
      'error min_scale_above_max_scale functions.good-model.scaling.minScale: min-scale 9 is greater than max-scale 8',
    ]],
    ['minScale above an unbounded maxScale (fine)', (p) => { fn(p, 'features').scaling.minScale = 50; }, []],
    ['initialScale above maxScale', (p) => { fn(p, 'good-model').scaling.initialScale = 9; }, [
      'error initial_scale_above_max_scale functions.good-model.scaling.initialScale: initial-scale 9 is greater than max-scale 8',
    ]],
    ['initialScale 0', (p) => { fn(p, 'features').scaling.initialScale = 0; }, [
      'warning zero_initial_scale functions.features.scaling.initialScale: initial-scale 0 is refused by Knative unless the cluster sets allow-zero-initial-scale: "true" in config-autoscaler',
    ]],
    ['a negative minScale', (p) => { fn(p, 'features').scaling.minScale = -1; }, [
      'error out_of_range functions.features.scaling.minScale: min-scale -1 is out of range: it must be >= 0',
    ]],
    ['NaN maxScale', (p) => { fn(p, 'features').scaling.maxScale = Number.NaN; }, [
      'error not_a_number functions.features.scaling.maxScale: max-scale NaN is not a whole number',
    ]],
    ['a zero target', (p) => { fn(p, 'features').scaling.target = 0; }, [
      'error out_of_range functions.features.scaling.target: target 0 is out of range: it must be >= 0.01',
    ]],
    ['a target above containerConcurrency', (p) => { fn(p, 'good-model').scaling.target = 10; }, [
      'warning target_above_container_concurrency functions.good-model.scaling.target: target 10 is above containerConcurrency 4: Knative scales on containerConcurrency instead',
    ]],
    ['a utilization above 1', (p) => { fn(p, 'features').scaling.targetUtilization = 1.5; }, [
      'error out_of_range functions.features.scaling.targetUtilization: target utilization 1.5 (target-utilization-percentage 150) is out of range: it must be from 0.01 to 1',
    ]],
    ['a stable window under 6s', (p) => { fn(p, 'features').scaling.stableWindowMs = 5_000; }, [
      'error out_of_range functions.features.scaling.stableWindowMs: window 5s is out of range: it must be from 6s to 3600s',
    ]],
    ['a stable window with milliseconds', (p) => { fn(p, 'features').scaling.stableWindowMs = 60_500; }, [
      'error sub_second_duration functions.features.scaling.stableWindowMs: window 60500ms has sub-second precision, which Knative refuses',
    ]],
    ['a panic window of 0%', (p) => { fn(p, 'features').scaling.panicWindowPercentage = 0; }, [
      'error out_of_range functions.features.scaling.panicWindowPercentage: panic-window-percentage 0 is out of range: it must be from 1 to 100',
    ]],
    ['a panic threshold of 100%', (p) => { fn(p, 'features').scaling.panicThresholdPercentage = 100; }, [
      'error out_of_range functions.features.scaling.panicThresholdPercentage: panic-threshold-percentage 100 is out of range: it must be from 110 to 1000',
    ]],
    ['a scale-down delay over an hour', (p) => { fn(p, 'features').scaling.scaleDownDelayMs = 3_601_000; }, [
      'error out_of_range functions.features.scaling.scaleDownDelayMs: scale-down-delay 3601s is out of range: it must be from 0s to 3600s',
    ]],
    ['a negative grace period', (p) => { fn(p, 'features').scaling.scaleToZeroGracePeriodMs = -1000; }, [
      'error out_of_range functions.features.scaling.scaleToZeroGracePeriodMs: scale-to-zero-pod-retention-period -1s is out of range: it must be from 0s to 3600s',
    ]],
    ['a quantity that is not one', (p) => { fn(p, 'features').resources.limits.memory = '256MB'; }, [
      'error invalid_quantity functions.features.resources.limits.memory: "256MB" is not a Kubernetes quantity',
    ]],
    ['a request above its limit', (p) => { fn(p, 'good-model').resources.requests.cpu = '1500m'; }, [
      'error request_above_limit functions.good-model.resources.requests.cpu: cpu request 1500m is above its limit 1, which Kubernetes refuses',
    ]],
    ['a GPU count of 0', (p) => { fn(p, 'good-model').device.count = 0; }, [
      'error invalid_device_count functions.good-model.device.count: nvidia-gpu count 0 is not a whole number >= 1',
    ]],
    ['a node timeout of 0', (p) => { const n = p.nodes['features']; if (n) n.timeoutMs = 0; }, [
      'error invalid_node_timeout nodes.features.timeoutMs: timeout 0 ms is not a positive number',
    ]],
    ['node timeouts that add up past Knative\'s maximum', (p) => { const n = p.nodes['good-model']; if (n) n.timeoutMs = 599_000; }, [
      "warning timeout_above_knative_max functions.orchestrator: request timeout 602s (from the node timeouts) is above Knative's default max-revision-timeout-seconds 600",
    ]],
    ['a graph name that cannot be a Service name', (p) => { p.graph = 'Seed_Graph'; p.labels['switchyard.dev/graph'] = 'Seed_Graph'; }, [
      'error invalid_service_name functions.features: Knative Service name "Seed_Graph-features" (<graph>-<function>) is not a DNS-1035 label',
      'error invalid_service_name functions.good-model: Knative Service name "Seed_Graph-good-model" (<graph>-<function>) is not a DNS-1035 label',
      'error invalid_service_name functions.weak-model: Knative Service name "Seed_Graph-weak-model" (<graph>-<function>) is not a DNS-1035 label',
      'error invalid_service_name functions.orchestrator: Knative Service name "Seed_Graph-orchestrator" (<graph>-<function>) is not a DNS-1035 label',
    ]],
    ['a Service name over 63 characters', (p) => { p.graph = `g${'x'.repeat(50)}`; p.labels = {}; }, [
      `error invalid_service_name functions.orchestrator: Knative Service name "g${'x'.repeat(50)}-orchestrator" (<graph>-<function>) is not a DNS-1035 label`,
    ]],
    ['a bad namespace and a bad label', (p) => { p.namespace = 'My NS'; p.labels['team'] = 'ml platform'; }, [
      'error invalid_namespace namespace: namespace "My NS" is not a DNS label',
      'error invalid_label_value labels.team: label value "ml platform" is not a Kubernetes label value',
    ]],
  ])('reports %s', (_name, change, expected) => {
    expect(issuesAfter(change).map(brief)).toEqual(expected);
  });

  it('reports every problem at once, each with the value received and a hint', () => {
    const issues = issuesAfter((p) => {
      Object.assign(fn(p, 'features').scaling, { containerConcurrency: -1, minScale: 3, maxScale: 2, initialScale: 1 });
      fn(p, 'orchestrator').scaling.panicThresholdPercentage = 50;
    });
    expect(issues.map((i) => [i.code, i.path, i.received])).toEqual([
      ['out_of_range', 'functions.features.scaling.containerConcurrency', -1],
      ['min_scale_above_max_scale', 'functions.features.scaling.minScale', 3],
      ['out_of_range', 'functions.orchestrator.scaling.panicThresholdPercentage', 50],
    ]);
    expect(issues.map(formatRenderIssue).join('\n')).toMatchInlineSnapshot(`
      "✖ functions.features.scaling.containerConcurrency: containerConcurrency -1 is out of range: it must be from 0 to 1000
        → write a whole number from 0 (unlimited) to 1000
      ✖ functions.features.scaling.minScale: min-scale 3 is greater than max-scale 2
        → lower minScale or raise maxScale (0 means unbounded)
      ✖ functions.orchestrator.scaling.panicThresholdPercentage: panic-threshold-percentage 50 is out of range: it must be from 110 to 1000
        → write a percentage of capacity from 110 to 1000 (Knative: 200)"
    `);
  });
});
