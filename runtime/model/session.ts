/**
 * @module Creating the onnxruntime session: the plan's session options, the chosen execution providers, and
 * the fallback to CPU when a preferred device's provider fails to load.
 */
import { access } from 'node:fs/promises';
import * as ort from 'onnxruntime-node';
import type { DevicePolicy, OnnxSessionOptions } from '../plan/types.ts';
import { DeviceUnavailableError, ModelLoadError } from './errors.ts';
import { chooseExecutionProviders, deviceMissingMessage, installAdvice, type SupportedBackend } from './execution-providers.ts';

export interface CreatedSession {
  session: ort.InferenceSession;
  /** The providers the session was created with. */
  executionProviders: string[];
  /** True when the session runs on CPU although the policy preferred a device. */
  fellBack: boolean;
}

/** The plan's session settings as onnxruntime session options (0 threads = onnxruntime's default). */
export function toOrtSessionOptions(options: OnnxSessionOptions, providers: string[]): ort.InferenceSession.SessionOptions {
  return {
    executionProviders: providers,
    graphOptimizationLevel: options.graphOptimizationLevel,
    intraOpNumThreads: options.intraOpNumThreads,
    interOpNumThreads: options.interOpNumThreads,
    executionMode: 'sequential',
  };
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export async function createOnnxSession(
  modelPath: string,
  sessionOptions: OnnxSessionOptions,
  device: DevicePolicy,
  options: {
    supportedBackends: readonly SupportedBackend[];
    log?: (msg: string) => void;
    label?: string;
    /** Creates the session; default `ort.InferenceSession.create` (tests pass a fake). */
    createSession?: (modelPath: string, options: ort.InferenceSession.SessionOptions) => Promise<ort.InferenceSession>;
  },
): Promise<CreatedSession> {
  const label = options.label ?? modelPath;
  try {
    await access(modelPath);
  } catch (err) {
    throw new ModelLoadError(`${label}: model file ${modelPath} not found or not readable (${messageOf(err)})`, { cause: err });
  }
  const choice = chooseExecutionProviders(device, options.supportedBackends);
  options.log?.(`${label}: ${choice.reason}`);
  const createSession = options.createSession ?? ((file, opts) => ort.InferenceSession.create(file, opts));
  const create = (providers: string[]) => createSession(modelPath, toOrtSessionOptions(sessionOptions, providers));
  try {
    return { session: await create(choice.providers), executionProviders: choice.providers, fellBack: choice.fellBack };
  } catch (err) {
    const onDevice = choice.providers.some((p) => p !== 'cpu');
    if (onDevice && choice.fallback) {
      options.log?.(
        `${label}: the ${choice.providers[0]} execution provider failed (${messageOf(err)}); falling back to ${choice.fallback.join(', ')}. ` +
          `To run on ${device.kind}: ${installAdvice(device.kind)}`,
      );
      try {
        return { session: await create(choice.fallback), executionProviders: choice.fallback, fellBack: true };
      } catch (err2) {
        throw new ModelLoadError(`${label}: cannot load ${modelPath}: ${messageOf(err2)}`, { cause: err2 });
      }
    }
    if (onDevice) {
      // Tell a device problem from a model problem: does the model load on the CPU?
      let cpu: ort.InferenceSession;
      try {
        cpu = await create(['cpu']);
      } catch (err2) {
        throw new ModelLoadError(`${label}: cannot load ${modelPath}: ${messageOf(err2)}`, { cause: err2 });
      }
      await cpu.release();
      throw new DeviceUnavailableError(
        device.kind,
        deviceMissingMessage(device.kind, `the ${choice.providers[0]} execution provider failed to start: ${messageOf(err)}`),
        { cause: err },
      );
    }
    throw new ModelLoadError(`${label}: cannot load ${modelPath}: ${messageOf(err)}`, { cause: err });
  }
}
