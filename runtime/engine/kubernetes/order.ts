/**
 * @module The order objects go to the cluster in, and leave it in.
 *
 * Apply: configuration first (ConfigMaps, Secrets: the Services mount and read them), then the function Services,
 * then the orchestrator (the front door, which calls the functions). Delete and prune: the reverse, so that the
 * front door goes first and nothing is left calling a function that is gone.
 */
import { isKnativeService, isOrchestrator, type KubeObject } from './types.ts';

export interface ApplyPhases {
  config: KubeObject[];
  functions: KubeObject[];
  orchestrator: KubeObject[];
}

/** Splits objects into the three apply phases, each keeping the order it was given in. */
export function applyPhases(objects: KubeObject[]): ApplyPhases {
  const phases: ApplyPhases = { config: [], functions: [], orchestrator: [] };
  for (const object of objects) {
    if (!isKnativeService(object)) phases.config.push(object);
    else if (isOrchestrator(object)) phases.orchestrator.push(object);
    else phases.functions.push(object);
  }
  return phases;
}

/** The order to delete objects in: orchestrator Services, function Services, then the rest; names sorted within. */
export function deleteOrder(objects: KubeObject[]): KubeObject[] {
  const rank = (o: KubeObject) => (isKnativeService(o) ? (isOrchestrator(o) ? 0 : 1) : 2);
  return [...objects].sort((a, b) => rank(a) - rank(b) || a.metadata.name.localeCompare(b.metadata.name));
}
