/** Small Kubernetes objects for the deployer's unit tests. */
import type { KubeObject } from '../../../runtime/engine/kubernetes/index.ts';

export const NS = 'switchyard';

export function configMap(name: string, labels: Record<string, string> = { 'switchyard.dev/graph': 'g' }): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: NS, labels }, data: {} };
}

export function ksvc(name: string, fn: string, extra: Partial<KubeObject> = {}, graph = 'g'): KubeObject {
  return {
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Service',
    metadata: { name, namespace: NS, labels: { 'switchyard.dev/graph': graph, 'switchyard.dev/function': fn } },
    spec: { template: { spec: { containers: [{ image: 'img:1' }] } } },
    ...extra,
  };
}

export function revision(service: string, generation: number, ready: 'True' | 'False' | 'Unknown', replicas = 1): KubeObject {
  return {
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Revision',
    metadata: {
      name: `${service}-${String(generation).padStart(5, '0')}`,
      namespace: NS,
      labels: { 'serving.knative.dev/service': service, 'serving.knative.dev/configurationGeneration': String(generation) },
    },
    status: { conditions: [{ type: 'Ready', status: ready }], actualReplicas: ready === 'True' ? replicas : 0, desiredReplicas: replicas },
  };
}
