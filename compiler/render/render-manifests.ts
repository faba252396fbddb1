/**
 * @module Plan → the Kubernetes objects of one graph: the `<graph>-plan` ConfigMap, a bundle ConfigMap per
 * function, and a Knative Service per function (the orchestrator included).
 *
 * Delivery (docs/kubernetes.md): one generic runtime image runs every function; each function's esbuild bundle
 * (one small .mjs) travels in its own ConfigMap, mounted read-only at /opt/switchyard/function and run with
 * `node /opt/switchyard/function/index.mjs`. Nothing is built per graph, so `switchyard deploy` needs no
 * registry. ONNX models are too big for ConfigMaps: model functions mount the user's `<graph>-models`
 * PersistentVolumeClaim read-only at /opt/switchyard/models (the plan has no model URI to fetch from yet).
 *
 * Pure: the same plan, image and bundles give the same objects, in the same order.
 */
import type { DeploymentPlan } from '../../runtime/plan/types.ts';
import { checkPlanForKnative } from './check-plan.ts';
import { checkRenderInputs, CONFIGMAP_MAX_BYTES, configMapDataBytes } from './check-inputs.ts';
import { bundleConfigMap, planConfigMap } from './config-maps.ts';
import { checkGrpcInputs, grpcEnabled, renderGrpcGateway } from './grpc-service.ts';
import { RenderError, type RenderIssue } from './issue.ts';
import { renderKnativeService } from './knative-service.ts';
import type { K8sObject, RenderOptions } from './types.ts';

/** Function names in render order: alphabetical, the orchestrator (the front door) last. */
function functionOrder(plan: DeploymentPlan): string[] {
  const names = Object.keys(plan.functions).sort();
  return [
    ...names.filter((name) => plan.functions[name]?.kind !== 'orchestrator'),
    ...names.filter((name) => plan.functions[name]?.kind === 'orchestrator'),
  ];
}

/**
 * Every issue that would stop `renderManifests`, and the warnings: `checkPlanForKnative` plus the checks of the
 * image, the bundles and the size of the plan ConfigMap.
 */
export function checkRender(plan: DeploymentPlan, options: RenderOptions): RenderIssue[] {
  const issues = [...checkPlanForKnative(plan), ...checkRenderInputs(plan, options), ...checkGrpcInputs(plan, options)];
  const planBytes = configMapDataBytes(planConfigMap(plan).data);
  if (planBytes > CONFIGMAP_MAX_BYTES) {
    issues.push({
      severity: 'error',
      code: 'plan_too_large',
      path: 'plan',
      received: planBytes,
      message: `plan.json is ${planBytes} bytes; a ConfigMap holds at most ${CONFIGMAP_MAX_BYTES}`,
      hint: 'move large component parameters out of the graph file',
    });
  }
  return issues;
}

/**
 * The objects to apply, ConfigMaps first (the Services mount them). Throws a `RenderError` carrying every issue
 * when `checkRender` finds an error; warnings do not stop it (call `checkRender` to show them).
 */
export function renderManifests(plan: DeploymentPlan, options: RenderOptions): K8sObject[] {
  const issues = checkRender(plan, options);
  if (issues.some((issue) => issue.severity === 'error')) throw new RenderError(issues);

  const order = functionOrder(plan);
  const objects: K8sObject[] = [planConfigMap(plan)];
  for (const name of order) {
    const bundle = options.bundles[name];
    if (bundle !== undefined) objects.push(bundleConfigMap(plan, name, bundle));
  }
  for (const name of order) {
    const fn = plan.functions[name];
    const bundle = options.bundles[name];
    if (fn !== undefined && bundle !== undefined) objects.push(renderKnativeService(plan, fn, bundle, options));
  }
  // The gRPC front end (plan grpc.enabled): its bundle ConfigMap and its `<graph>-grpc` Service, after the rest.
  if (grpcEnabled(plan) && options.grpcBundle !== undefined) objects.push(...renderGrpcGateway(plan, options.grpcBundle, options));
  return objects;
}
