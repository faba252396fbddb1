/**
 * @module The graph's gRPC front end as its own Knative Service, `<graph>-grpc`.
 *
 * Knative gives a container one port, and naming it `h2c` makes the whole container speak cleartext HTTP/2; the
 * orchestrator's REST front door speaks HTTP/1.1, so gRPC gets a Service of its own. It runs the functions/grpc
 * bundle (same runtime image, same bundle-in-ConfigMap delivery and restricted securityContext as every
 * function), which serves `inference.GRPCInferenceService` and forwards each call, as REST, to the orchestrator's
 * in-cluster URL (`SWITCHYARD_ORCHESTRATOR_URL`). Public like the orchestrator; Knative's default autoscaling
 * (no annotations, unlimited concurrency: it only waits on the orchestrator); the orchestrator's request timeout.
 * Readiness is a TCP connect: the server binds its port only once the service is loaded.
 */
import { createHash } from 'node:crypto';
import type { DeploymentPlan } from '../../runtime/plan/types.ts';
import { CONFIGMAP_MAX_BYTES, configMapDataBytes } from './check-inputs.ts';
import { bundleConfigMap } from './config-maps.ts';
import { error, type RenderIssue } from './issue.ts';
import { restrictedSecurityContext } from './knative-service.ts';
import {
  BUNDLE_HASH_ANNOTATION,
  bundleConfigMapName,
  CONTAINER_NAME,
  CONTAINER_PORT,
  FUNCTION_DIR,
  FUNCTION_LABEL,
  functionUrl,
  serviceName,
} from './names.ts';
import { functionTimeoutSeconds } from './timeouts.ts';
import type { BundleFile, ConfigMap, KnativeService, RenderOptions } from './types.ts';

/** The gRPC front end's name: its `switchyard.dev/function` label, its bundle directory, its Service `<graph>-grpc`. */
export const GRPC_FUNCTION = 'grpc';
/** Knative's port name for cleartext HTTP/2, which gRPC needs. */
export const H2C_PORT_NAME = 'h2c';
/** The environment variable that holds the orchestrator's in-cluster URL. */
export const ORCHESTRATOR_URL_ENV = 'SWITCHYARD_ORCHESTRATOR_URL';

/** Whether the plan asks for the gRPC front end on Kubernetes (`spec.grpc.enabled`; the compiler writes true by default). */
export function grpcEnabled(plan: DeploymentPlan): boolean {
  return plan.grpc?.enabled === true;
}

/** What stops rendering the gRPC front end: no bundle, or a plan function whose Service would be `<graph>-grpc` too. */
export function checkGrpcInputs(plan: DeploymentPlan, options: RenderOptions): RenderIssue[] {
  if (!grpcEnabled(plan)) return [];
  const issues: RenderIssue[] = [];
  if (GRPC_FUNCTION in plan.functions) {
    issues.push(
      error(
        'grpc_name_taken',
        `functions.${GRPC_FUNCTION}`,
        GRPC_FUNCTION,
        `the gRPC front end is the Knative Service "${serviceName(plan.graph, GRPC_FUNCTION)}", which is also the name of node function "${GRPC_FUNCTION}"`,
        `rename the node "${GRPC_FUNCTION}", or set spec.grpc.enabled: false`,
      ),
    );
  }
  if (options.grpcBundle === undefined) {
    issues.push(
      error(
        'missing_grpc_bundle',
        'options.grpcBundle',
        undefined,
        'the plan has grpc.enabled but no gRPC front-end bundle was given',
        'bundle functions/grpc (compiler/bundle bundleGrpcGateway) before rendering, or set spec.grpc.enabled: false',
      ),
    );
  } else {
    const bytes = configMapDataBytes({ [options.grpcBundle.fileName]: options.grpcBundle.contents });
    if (bytes > CONFIGMAP_MAX_BYTES) {
      issues.push(error('grpc_bundle_too_large', 'options.grpcBundle', bytes, `the gRPC front-end bundle is ${bytes} bytes; a ConfigMap holds at most ${CONFIGMAP_MAX_BYTES}`, 'minify the bundle, or set spec.grpc.enabled: false'));
    }
  }
  return issues;
}

/** The `<graph>-grpc-bundle` ConfigMap and the `<graph>-grpc` Service. */
export function renderGrpcGateway(plan: DeploymentPlan, bundle: BundleFile, options: RenderOptions): [ConfigMap, KnativeService] {
  const orchestrator = Object.values(plan.functions).find((fn) => fn.kind === 'orchestrator');
  const orchestratorName = orchestrator?.name ?? 'orchestrator';
  const labels = { ...plan.labels, [FUNCTION_LABEL]: GRPC_FUNCTION };
  const service: KnativeService = {
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Service',
    metadata: { name: serviceName(plan.graph, GRPC_FUNCTION), namespace: plan.namespace, labels },
    spec: {
      template: {
        metadata: {
          labels,
          annotations: { [BUNDLE_HASH_ANNOTATION]: createHash('sha256').update(bundle.contents).digest('hex') },
        },
        spec: {
          containerConcurrency: 0,
          timeoutSeconds: orchestrator === undefined ? 300 : functionTimeoutSeconds(plan, orchestrator),
          containers: [
            {
              name: CONTAINER_NAME,
              image: options.image,
              command: ['node'],
              args: [`${FUNCTION_DIR}/${bundle.fileName}`],
              ports: [{ containerPort: CONTAINER_PORT, name: H2C_PORT_NAME }],
              env: [
                { name: 'SWITCHYARD_FUNCTION', value: GRPC_FUNCTION },
                { name: 'SWITCHYARD_GRAPH', value: plan.graph },
                { name: ORCHESTRATOR_URL_ENV, value: functionUrl(plan.graph, orchestratorName, plan.namespace, options.clusterDomain) },
              ],
              readinessProbe: { tcpSocket: { port: CONTAINER_PORT } },
              resources: {},
              securityContext: restrictedSecurityContext(),
              volumeMounts: [{ name: 'bundle', mountPath: FUNCTION_DIR, readOnly: true }],
            },
          ],
          volumes: [
            {
              name: 'bundle',
              configMap: { name: bundleConfigMapName(plan.graph, GRPC_FUNCTION), items: [{ key: bundle.fileName, path: bundle.fileName }] },
            },
          ],
        },
      },
    },
  };
  return [bundleConfigMap(plan, GRPC_FUNCTION, bundle), service];
}
