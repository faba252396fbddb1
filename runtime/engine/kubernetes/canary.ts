/**
 * @module Traffic for a Knative Service at deploy time.
 *
 * A rendered Service has no `spec.traffic` (all traffic to the latest revision: deploy writes that explicitly,
 * so that it takes `spec.traffic` back after a rollback), or a canary split (compiler/render): the latest
 * revision gets N % and the rest goes to an entry with `latestRevision: false` and no `revisionName` yet — the
 * stable revision, which only the cluster knows. The deployer fills it in:
 *
 * - the template changes (a new revision will be made): the stable revision is the one serving now, the
 *   Service's `latestReadyRevisionName`;
 * - the template is unchanged (a re-deploy): the stable revision stays what the Service pins now, so applying
 *   twice changes nothing;
 * - there is none (a first deploy, or nothing ever became ready): the latest revision gets all traffic.
 */
import { statusOf } from './service-status.ts';
import { isKnativeService, type KubeObject, type TrafficTarget } from './types.ts';

function trafficOf(object: KubeObject | undefined): TrafficTarget[] | undefined {
  return ((object?.['spec'] ?? {}) as { traffic?: TrafficTarget[] }).traffic;
}

function withTraffic(object: KubeObject, traffic: TrafficTarget[]): KubeObject {
  const copy = structuredClone(object);
  (copy['spec'] as { traffic?: TrafficTarget[] }).traffic = traffic;
  return copy;
}

const ALL_TO_LATEST: TrafficTarget[] = [{ latestRevision: true, percent: 100 }];

/** Whether `service` has a traffic entry waiting for the stable revision's name. */
export function needsStableRevision(service: KubeObject): boolean {
  return (trafficOf(service) ?? []).some((t) => t.latestRevision === false && t.revisionName === undefined);
}

/** The Service with `spec.traffic` all to the latest revision when it names no traffic at all. */
export function withDefaultTraffic(service: KubeObject): KubeObject {
  if (!isKnativeService(service) || trafficOf(service) !== undefined) return service;
  return withTraffic(service, ALL_TO_LATEST);
}

/** The revision that the non-canary share goes to, as described in the module comment. */
export function stableRevision(live: KubeObject | undefined, templateChanged: boolean): string | undefined {
  if (live === undefined) return undefined;
  if (templateChanged) return statusOf(live).latestReadyRevisionName;
  return (trafficOf(live) ?? []).find((t) => t.latestRevision === false && t.revisionName !== undefined)?.revisionName;
}

/** Fills the stable entry with `stable`, or sends everything to the latest revision when there is none. */
export function fillStableRevision(service: KubeObject, stable: string | undefined): { object: KubeObject; note: string } {
  const traffic = trafficOf(service) ?? [];
  if (stable === undefined) {
    return { object: withTraffic(service, ALL_TO_LATEST), note: 'canary: no earlier ready revision, so the new revision gets all traffic' };
  }
  const filled = traffic.map((t) => (t.latestRevision === false && t.revisionName === undefined ? { ...t, revisionName: stable } : t));
  const latest = filled.filter((t) => t.latestRevision === true).reduce((sum, t) => sum + (t.percent ?? 0), 0);
  return { object: withTraffic(service, filled), note: `canary: ${latest}% to the latest revision, ${100 - latest}% to ${stable}` };
}
