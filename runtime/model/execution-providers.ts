/**
 * @module Which onnxruntime execution providers a node's device policy asks for.
 *
 * Pure: the list of backends this onnxruntime build supports (`ort.listSupportedBackends()`) is a
 * parameter. A backend listed with `bundled: false` (CUDA, TensorRT in the npm package) needs libraries that
 * may not be installed; it is still chosen here, and session creation (session.ts) falls back to CPU when it
 * fails to load and the affinity allows it.
 */
import type { DeviceKind, DevicePolicy } from '../plan/types.ts';
import { DeviceUnavailableError } from './errors.ts';

export interface SupportedBackend {
  name: string;
  /** False when the provider's libraries are installed separately (and may be missing). */
  bundled: boolean;
}

/** Execution providers that can drive each device kind, best first. Only the first one supported is used. */
export const DEVICE_EXECUTION_PROVIDERS: Readonly<Record<DeviceKind, readonly string[]>> = {
  cpu: ['cpu'],
  'nvidia-gpu': ['cuda'],
  // OpenVINO and DirectML where the build has them; WebGPU (bundled in onnxruntime-node on Linux and
  // Windows) reaches the GPU through Vulkan/D3D otherwise.
  'intel-gpu': ['openvino', 'dml', 'webgpu'],
  'amd-gpu': ['migraphx', 'rocm', 'dml', 'webgpu'],
};

/** What to do for an `onnxruntime-node` build that lacks a device's providers. */
const INSTALL_ADVICE: Readonly<Record<DeviceKind, string>> = {
  cpu: '',
  'nvidia-gpu':
    'install the CUDA execution provider (`npm ci --onnxruntime-node-install=cuda12`, or ONNXRUNTIME_NODE_INSTALL=cuda12, on a machine with an NVIDIA GPU, CUDA 12 and cuDNN)',
  'intel-gpu':
    'use an onnxruntime-node build with the OpenVINO, DirectML or WebGPU execution provider on a machine with an Intel GPU',
  'amd-gpu':
    'use an onnxruntime-node build with the MIGraphX, ROCm, DirectML or WebGPU execution provider on a machine with an AMD GPU',
};

export interface ExecutionProviderChoice {
  /** Providers to create the session with, in order. */
  providers: string[];
  /** Providers to retry with if creating the session with `providers` fails; null: no retry. */
  fallback: string[] | null;
  /** True when the device's providers are not in this build and the session runs on CPU instead. */
  fellBack: boolean;
  /** One line for the log: what was chosen and why. */
  reason: string;
}

/**
 * The providers for `device` given the backends this build supports.
 * - cpu → ['cpu'].
 * - a GPU with affinity `preferred` → [gpuProvider, 'cpu'] (retry with ['cpu'] if that fails); ['cpu'] when
 *   the build has none of the device's providers.
 * - a GPU with affinity `required` → [gpuProvider]; throws `DeviceUnavailableError` when the build has none.
 */
export function chooseExecutionProviders(
  device: DevicePolicy,
  supported: readonly SupportedBackend[],
): ExecutionProviderChoice {
  if (device.kind === 'cpu') {
    return { providers: ['cpu'], fallback: null, fellBack: false, reason: 'device cpu: cpu execution provider' };
  }
  const candidates = DEVICE_EXECUTION_PROVIDERS[device.kind];
  const names = supported.map((b) => b.name);
  const found = candidates.find((c) => names.includes(c));
  if (found !== undefined) {
    const backend = supported.find((b) => b.name === found)!;
    const note = backend.bundled ? '' : ' (not bundled: its libraries must be installed)';
    if (device.affinity === 'preferred') {
      return {
        providers: [found, 'cpu'],
        fallback: ['cpu'],
        fellBack: false,
        reason: `device ${device.kind} (preferred): ${found} execution provider${note}, cpu for the rest and as fallback`,
      };
    }
    return {
      providers: [found],
      fallback: null,
      fellBack: false,
      reason: `device ${device.kind} (required): ${found} execution provider${note}`,
    };
  }
  const missing = `this onnxruntime-node build has no ${candidates.join('/')} execution provider for ${device.kind} (it has: ${names.join(', ') || 'none'})`;
  if (device.affinity === 'preferred') {
    return { providers: ['cpu'], fallback: null, fellBack: true, reason: `${missing}; falling back to cpu as the preferred affinity allows` };
  }
  throw new DeviceUnavailableError(device.kind, deviceMissingMessage(device.kind, missing));
}

/** What to do so that `kind`'s execution provider loads. */
export function installAdvice(kind: DeviceKind): string {
  return INSTALL_ADVICE[kind];
}

/** The message for a required device that cannot be used: what is missing and what to do. */
export function deviceMissingMessage(kind: DeviceKind, what: string): string {
  return (
    `device ${kind} is required but ${what}. ` +
    `To fix: ${installAdvice(kind)}; or set the node's device affinity to "preferred" to fall back to CPU; ` +
    `or set device: cpu.`
  );
}
