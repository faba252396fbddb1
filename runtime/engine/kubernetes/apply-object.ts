/**
 * @module Applying one object with server-side apply as the `switchyard` field manager, forcing (so that the
 * atomic lists `containers` and `spec.traffic` are taken back from whoever touched them), and saying what
 * happened: `created`, `configured` (with the changed field paths) or `unchanged` (the resourceVersion did not
 * move: applying twice changes nothing). A dry run (`dryRun=All`) says what would happen, from the object the
 * server would store.
 *
 * Knative Services get their traffic filled in first (canary.ts).
 */
import { fillStableRevision, needsStableRevision, stableRevision, withDefaultTraffic } from './canary.ts';
import { changedPaths, sameJson } from './diff.ts';
import type { KubeApi } from './kube-api.ts';
import { FIELD_MANAGER, isKnativeService, refOf, type KubeObject, type ObjectRef } from './types.ts';

export type ApplyOutcome = 'created' | 'configured' | 'unchanged';

export interface AppliedObject {
  ref: ObjectRef;
  outcome: ApplyOutcome;
  /** Field paths that changed (or would), never values. */
  changes: string[];
  note?: string;
  /** The object as the server stored it (or would). */
  object: KubeObject;
}

const templateOf = (object: KubeObject | undefined) => ((object?.['spec'] ?? {}) as { template?: unknown }).template;

/** Whether applying `service` would give its template a new value (and so Knative a new revision). */
async function templateChanges(api: KubeApi, service: KubeObject, live: KubeObject | undefined): Promise<boolean> {
  if (live === undefined) return true;
  const probe = structuredClone(service);
  delete (probe['spec'] as { traffic?: unknown }).traffic;
  const preview = await api.apply(probe, { fieldManager: FIELD_MANAGER, force: true, dryRun: true });
  return !sameJson(templateOf(preview), templateOf(live));
}

/** The body to apply: the object itself, or a Knative Service with its traffic filled in. */
async function prepare(api: KubeApi, desired: KubeObject, live: KubeObject | undefined): Promise<{ body: KubeObject; note?: string }> {
  if (!isKnativeService(desired)) return { body: desired };
  const body = withDefaultTraffic(desired);
  if (!needsStableRevision(body)) return { body };
  const stable = stableRevision(live, await templateChanges(api, body, live));
  const filled = fillStableRevision(body, stable);
  return { body: filled.object, note: filled.note };
}

export async function applyObject(api: KubeApi, desired: KubeObject, options: { dryRun: boolean }): Promise<AppliedObject> {
  const ref = refOf(desired);
  const live = await api.get(ref);
  const { body, note } = await prepare(api, desired, live);
  const object = await api.apply(body, { fieldManager: FIELD_MANAGER, force: true, dryRun: options.dryRun });
  const changes = live === undefined ? [] : changedPaths(live, object);
  let outcome: ApplyOutcome;
  if (live === undefined) outcome = 'created';
  else if (options.dryRun) outcome = changes.length > 0 ? 'configured' : 'unchanged';
  else outcome = live.metadata.resourceVersion === object.metadata.resourceVersion ? 'unchanged' : 'configured';
  return { ref, outcome, changes: outcome === 'unchanged' ? [] : changes, object, ...(note === undefined ? {} : { note }) };
}
