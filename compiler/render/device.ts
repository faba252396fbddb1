/**
 * @module A function's `DevicePolicy` as pod scheduling: extended-resource limits, node affinity, tolerations.
 *
 * - `required`: the device's extended resource as a limit (`nvidia.com/gpu: <count>`), a required node affinity
 *   on the node label that the vendor's feature discovery sets, and a toleration of the vendor's GPU taint. The
 *   pod runs on a node with the device or not at all.
 * - `preferred`: a preferred node affinity and the toleration, but **no** extended-resource limit. Kubernetes
 *   only hands a device to a container that requests it, and a request is mandatory: a pod that requests a GPU
 *   stays Pending on a cluster without one, which is the opposite of "fall back to CPU". So a preferred
 *   function is placed on a device node when one has room but gets no device there, and onnxruntime runs it on
 *   CPU. `checkPlanForKnative` warns about this; write `required` to get the device on Kubernetes.
 *
 * Knative's webhook refuses `affinity` and `tolerations` unless the cluster enables the
 * `kubernetes.podspec-affinity` and `kubernetes.podspec-tolerations` features (docs/kubernetes.md), so they are
 * rendered only for device functions; CPU functions carry neither.
 */
import type { DeviceKind, DevicePolicy } from '../../runtime/plan/types.ts';
import type { NodeAffinity, NodeSelectorRequirement, Toleration } from './types.ts';

export interface DeviceScheduling {
  /** The device plugin's extended resource. */
  resource: string;
  /** The node label (value `"true"`) that marks nodes with the device, and who sets it. */
  nodeLabel: string;
  nodeLabelSetBy: string;
  /** The taint key that clusters commonly put on nodes with the device (tolerated with `Exists`). */
  taintKey: string;
}

/** How each accelerator is named in Kubernetes. `cpu` needs nothing. */
export const DEVICE_SCHEDULING: Readonly<Record<Exclude<DeviceKind, 'cpu'>, DeviceScheduling>> = {
  'nvidia-gpu': {
    resource: 'nvidia.com/gpu',
    nodeLabel: 'nvidia.com/gpu.present',
    nodeLabelSetBy: 'NVIDIA GPU Feature Discovery (GPU Operator)',
    taintKey: 'nvidia.com/gpu',
  },
  'intel-gpu': {
    resource: 'gpu.intel.com/i915',
    nodeLabel: 'intel.feature.node.kubernetes.io/gpu',
    nodeLabelSetBy: 'Node Feature Discovery with the Intel device plugins operator rules',
    taintKey: 'gpu.intel.com/i915',
  },
  'amd-gpu': {
    resource: 'amd.com/gpu',
    nodeLabel: 'feature.node.kubernetes.io/amd-gpu',
    nodeLabelSetBy: 'Node Feature Discovery with the AMD GPU Operator rules',
    taintKey: 'amd.com/gpu',
  },
};

/** Weight of the preferred node affinity term (1..100): the only term, so the strongest. */
export const PREFERRED_WEIGHT = 100;

export interface PodDevicePlacement {
  /** Extra container limits, e.g. `{'nvidia.com/gpu': '1'}`. */
  limits: Record<string, string>;
  affinity?: { nodeAffinity: NodeAffinity };
  tolerations?: Toleration[];
}

/** What a device policy adds to a pod: nothing for CPU. */
export function devicePlacement(device: DevicePolicy): PodDevicePlacement {
  if (device.kind === 'cpu') return { limits: {} };
  const scheduling = DEVICE_SCHEDULING[device.kind];
  const onDeviceNode: NodeSelectorRequirement = { key: scheduling.nodeLabel, operator: 'In', values: ['true'] };
  const tolerations: Toleration[] = [{ key: scheduling.taintKey, operator: 'Exists', effect: 'NoSchedule' }];
  if (device.affinity === 'required') {
    return {
      limits: { [scheduling.resource]: String(device.count) },
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [onDeviceNode] }] },
        },
      },
      tolerations,
    };
  }
  return {
    limits: {},
    affinity: {
      nodeAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: PREFERRED_WEIGHT, preference: { matchExpressions: [onDeviceNode] } },
        ],
      },
    },
    tolerations,
  };
}
