/** @module What the command line may set over the graph file; it wins over everything in the file. */
import type { ScalingPolicy, StateStoreConfig } from '../../runtime/plan/types.ts';

export interface PlanOverrides {
  /** Applied to every function, the orchestrator included. */
  scaling?: Partial<ScalingPolicy>;
  state?: StateStoreConfig;
  /** The Kubernetes namespace (`switchyard deploy --namespace`). */
  namespace?: string;
}
