/**
 * @module The order objects go to the cluster in, and leave it in.
 *
 * Apply: configuration first (ConfigMaps, Secrets: the Services mount and read them), then the function Services,
 * then the orchestrator (the front door, which calls the functions), then the gRPC front end (which calls the
 * orchestrator). Delete and prune: the reverse, so that the front doors go first and nothing is left calling a
 * function that is gone.
 */
import { isGrpcGateway, isKnativeService, isOrchestrator, type KubeObject } from './types.ts';

export interface ApplyPhases {
  config: KubeObject[];
  functions: KubeObject[];
  orchestrator: KubeObject[];
  grpc: KubeObject[];
}

/** Splits objects into the three apply phases, each keeping the order it was given in. */
export function applyPhases(objects: KubeObject[]): ApplyPhases {
  const phases: ApplyPhases = { config: [], functions: [], orchestrator: [], grpc: [] };
  for (const object of objects) {
    if (!isKnativeService(object)) phases.config.push(object);
    else if (isGrpcGateway(object)) phases.grpc.push(object);
    else if (isOrchestrator(object)) phases.orchestrator.push(object);
    else phases.functions.push(object);
  }
  return phases;
}

/** The order to delete objects in: the gRPC front end, orchestrator Services, function Services, then the rest; names sorted within. */
export function deleteOrder(objects: KubeObject[]): KubeObject[] {
  const rank = (o: KubeObject) => (isGrpcGateway(o) ? -1 : isKnativeService(o) ? (isOrchestrator(o) ? 0 : 1) : 2);
  return [...objects].sort((a, b) => rank(a) - rank(b) || a.metadata.name.localeCompare(b.metadata.name));
}
