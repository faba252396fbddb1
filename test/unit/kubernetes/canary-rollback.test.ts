/** Traffic decisions: the stable revision of a canary, the default all-to-latest, and what rollback picks. */
import { describe, expect, it } from 'vitest';
import {
  chooseRollback,
  fillStableRevision,
  needsStableRevision,
  pinTraffic,
  stableRevision,
  withDefaultTraffic,
} from '../../../runtime/engine/kubernetes/index.ts';
import { ksvc, revision } from './_objects.ts';

const canarySpec = { template: {}, traffic: [{ tag: 'canary', latestRevision: true, percent: 10 }, { tag: 'stable', latestRevision: false, percent: 90 }] };

describe('canary traffic', () => {
  const desired = ksvc('g-a', 'a', { spec: canarySpec });

  it('adds all-to-latest traffic to a Service that names none, and leaves other objects alone', () => {
    expect((withDefaultTraffic(ksvc('g-a', 'a'))['spec'] as any).traffic).toEqual([{ latestRevision: true, percent: 100 }]);
    expect(withDefaultTraffic(desired)).toBe(desired);
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } };
    expect(withDefaultTraffic(cm)).toBe(cm);
    expect(needsStableRevision(desired)).toBe(true);
  });

  it('takes the stable revision from what serves now when the template changes, else keeps the pinned one', () => {
    const live = ksvc('g-a', 'a', {
      spec: { traffic: [{ tag: 'canary', latestRevision: true, percent: 10 }, { tag: 'stable', latestRevision: false, revisionName: 'g-a-00001', percent: 90 }] },
      status: { latestReadyRevisionName: 'g-a-00002' },
    });
    expect(stableRevision(live, true)).toBe('g-a-00002');
    expect(stableRevision(live, false)).toBe('g-a-00001');
    expect(stableRevision(undefined, true)).toBeUndefined();
    expect(stableRevision(ksvc('g-a', 'a', { status: {} }), true)).toBeUndefined();
  });

  it('fills the stable entry, or sends everything to the latest revision when there is no stable one', () => {
    const filled = fillStableRevision(desired, 'g-a-00003');
    expect((filled.object['spec'] as any).traffic).toEqual([
      { tag: 'canary', latestRevision: true, percent: 10 },
      { tag: 'stable', latestRevision: false, percent: 90, revisionName: 'g-a-00003' },
    ]);
    expect(filled.note).toBe('canary: 10% to the latest revision, 90% to g-a-00003');
    expect((desired['spec'] as any).traffic[1].revisionName).toBeUndefined();
    const first = fillStableRevision(desired, undefined);
    expect((first.object['spec'] as any).traffic).toEqual([{ latestRevision: true, percent: 100 }]);
  });
});

describe('chooseRollback', () => {
  const serving = (traffic: Array<{ revisionName: string; percent: number }>, latestReady = 'g-a-00003') =>
    ksvc('g-a', 'a', { status: { latestReadyRevisionName: latestReady, traffic } });
  const revisions = [revision('g-a', 1, 'True'), revision('g-a', 2, 'False'), revision('g-a', 3, 'True'), revision('other', 9, 'True')];

  it('goes to the newest ready revision older than the one serving, skipping failed ones', () => {
    expect(chooseRollback(serving([{ revisionName: 'g-a-00003', percent: 100 }]), revisions)).toEqual({ service: 'g-a', current: 'g-a-00003', target: 'g-a-00001' });
  });

  it('during a canary, counts the canary as current: rollback means back to stable', () => {
    const canary = serving([{ revisionName: 'g-a-00003', percent: 10 }, { revisionName: 'g-a-00001', percent: 90 }]);
    expect(chooseRollback(canary, revisions).target).toBe('g-a-00001');
  });

  it('says why when there is nothing older and ready', () => {
    expect(chooseRollback(serving([{ revisionName: 'g-a-00001', percent: 100 }], 'g-a-00001'), revisions)).toEqual({
      service: 'g-a', current: 'g-a-00001', reason: 'no ready revision older than g-a-00001',
    });
    expect(chooseRollback(ksvc('g-a', 'a', { status: {} }), revisions).reason).toBe('no revision serves traffic yet');
  });

  it('pins traffic with a minimal apply body', () => {
    expect(pinTraffic(ksvc('g-a', 'a'), 'g-a-00001')).toEqual({
      apiVersion: 'serving.knative.dev/v1', kind: 'Service', metadata: { name: 'g-a', namespace: 'switchyard' },
      spec: { traffic: [{ revisionName: 'g-a-00001', latestRevision: false, percent: 100 }] },
    });
  });
});
