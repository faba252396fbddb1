/**
 * @module Choosing what `switchyard rollback` sends a Service's traffic to. Pure.
 *
 * The current revision is the newest one that gets traffic now (during a canary, the canary). The rollback
 * target is the newest *ready* revision older than it. Traffic then goes 100 % to that revision, pinned by name,
 * written by its own field manager so that the next `switchyard deploy` takes `spec.traffic` back.
 */
import { revisionGeneration, revisionReady, revisionsOf, statusOf } from './service-status.ts';
import type { KubeObject } from './types.ts';

export interface RollbackChoice {
  service: string;
  current?: string;
  /** The revision to send all traffic to; absent when there is none (see `reason`). */
  target?: string;
  reason?: string;
}

export function chooseRollback(service: KubeObject, revisions: KubeObject[]): RollbackChoice {
  const name = service.metadata.name;
  const own = revisionsOf(name, revisions);
  const status = statusOf(service);
  const serving = new Set((status.traffic ?? []).filter((t) => (t.percent ?? 0) > 0).map((t) => t.revisionName));
  const current = own.find((r) => serving.has(r.metadata.name))?.metadata.name ?? status.latestReadyRevisionName;
  if (current === undefined) return { service: name, reason: 'no revision serves traffic yet' };
  const currentRevision = own.find((r) => r.metadata.name === current);
  const generation = currentRevision === undefined ? Number.POSITIVE_INFINITY : revisionGeneration(currentRevision);
  const target = own.find((r) => revisionGeneration(r) < generation && revisionReady(r));
  if (target === undefined) return { service: name, current, reason: `no ready revision older than ${current}` };
  return { service: name, current, target: target.metadata.name };
}

/** The apply body that pins all of a Service's traffic to `revision`. */
export function pinTraffic(service: KubeObject, revision: string): KubeObject {
  return {
    apiVersion: service.apiVersion,
    kind: service.kind,
    metadata: { name: service.metadata.name, ...(service.metadata.namespace === undefined ? {} : { namespace: service.metadata.namespace }) },
    spec: { traffic: [{ revisionName: revision, latestRevision: false, percent: 100 }] },
  };
}
