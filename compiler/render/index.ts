/**
 * @module compiler/render: a `DeploymentPlan` as Knative Services and ConfigMaps, and those as YAML.
 */
export { renderManifests, checkRender } from './render-manifests.ts';
export { checkPlanForKnative, KNATIVE_LIMITS } from './check-plan.ts';
export { checkRenderInputs, CONFIGMAP_MAX_BYTES } from './check-inputs.ts';
export { toYaml, canonicalize } from './to-yaml.ts';
export { RenderError, formatRenderIssue, type RenderIssue } from './issue.ts';
export { AUTOSCALING_ANNOTATIONS, KPA_CLASS, autoscalingAnnotations, goDuration } from './autoscaling.ts';
export { DEVICE_SCHEDULING, devicePlacement } from './device.ts';
export { ENV, RUN_AS_ID, canaryTraffic, endpoints, renderKnativeService, restrictedSecurityContext, servesModels } from './knative-service.ts';
export { planConfigMap, bundleConfigMap, planJson } from './config-maps.ts';
export { checkGrpcInputs, grpcEnabled, GRPC_FUNCTION, H2C_PORT_NAME, ORCHESTRATOR_URL_ENV, renderGrpcGateway } from './grpc-service.ts';
export { functionTimeoutSeconds, KNATIVE_MAX_TIMEOUT_SECONDS } from './timeouts.ts';
export {
  BUNDLE_HASH_ANNOTATION,
  CANARY_TAG,
  CONTAINER_PORT,
  FUNCTION_DIR,
  FUNCTION_LABEL,
  MODELS_DIR,
  PLAN_KEY,
  READINESS_PATH,
  VISIBILITY_LABEL,
  bundleConfigMapName,
  functionUrl,
  modelsClaimName,
  planConfigMapName,
  serviceName,
  STABLE_TAG,
  STATE_SECRET_KEY,
  stateSecretName,
} from './names.ts';
export type {
  BundleFile,
  ConfigMap,
  Container,
  InitContainer,
  K8sObject,
  KnativeService,
  ObjectMeta,
  RenderOptions,
  TrafficTarget,
} from './types.ts';
