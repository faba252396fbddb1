/** @module The engine's status report: what `switchyard status` prints and `/_switchyard/status` serves. */
import type { PoolStats } from './function-pool.ts';

export interface FunctionStatus extends PoolStats {
  panicking: boolean;
  p50Ms: number | undefined;
  p99Ms: number | undefined;
}

export interface EngineStatus {
  graph: string;
  url: string;
  uptimeSeconds: number;
  functions: FunctionStatus[];
}
