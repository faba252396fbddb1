/** @module The engine's status report: what `switchyard status` prints and `/_switchyard/status` serves. */
import type { ScalingPolicy } from '../../plan/types.ts';
import type { PoolStats } from './function-pool.ts';

export interface FunctionStatus extends PoolStats {
  /** The policy in effect: the graph file's, with the command line's overrides. */
  scaling: ScalingPolicy;
  panicking: boolean;
  p50Ms: number | undefined;
  p99Ms: number | undefined;
}

export interface EngineStatus {
  graph: string;
  url: string;
  uptimeSeconds: number;
  /** Whether a request that finds the graph cold wakes every function at once. */
  graphActivation: boolean;
  /**
   * How the engine's own processes call each other (`frames` or `http`), and how many calls the orchestrator
   * has made to functions through the gateway over frames.
   */
  internalTransport: { kind: 'frames' | 'http'; framedCalls: number };
  functions: FunctionStatus[];
}
