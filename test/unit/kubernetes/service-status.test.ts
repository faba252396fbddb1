/** Reading a Knative Service's status: readiness for the current generation, and the summary `status` prints. */
import { describe, expect, it } from 'vitest';
import { readiness, summarizeService } from '../../../runtime/engine/kubernetes/index.ts';
import { ksvc, revision } from './_objects.ts';

const withStatus = (generation: number, status: Record<string, unknown>) => {
  const s = ksvc('g-a', 'a', { status });
  s.metadata.generation = generation;
  return s;
};

describe('readiness', () => {
  it.each([
    { name: 'Ready=True for the current generation', generation: 2, status: { observedGeneration: 2, conditions: [{ type: 'Ready', status: 'True' }] }, state: 'ready' },
    { name: 'Ready=True for an older generation', generation: 3, status: { observedGeneration: 2, conditions: [{ type: 'Ready', status: 'True' }] }, state: 'pending' },
    { name: 'Ready=False for the current generation', generation: 2, status: { observedGeneration: 2, conditions: [{ type: 'Ready', status: 'False', reason: 'RevisionFailed', message: 'boom' }] }, state: 'failed' },
    { name: 'Ready=Unknown', generation: 1, status: { observedGeneration: 1, conditions: [{ type: 'Ready', status: 'Unknown', reason: 'RevisionMissing' }] }, state: 'pending' },
    { name: 'no status yet', generation: 1, status: {}, state: 'pending' },
  ])('$name → $state', ({ generation, status, state }) => {
    expect(readiness(withStatus(generation, status)).state).toBe(state);
  });

  it('carries Knative\'s reason and message, and the newest revision', () => {
    expect(readiness(withStatus(2, { observedGeneration: 2, latestCreatedRevisionName: 'g-a-00002', conditions: [{ type: 'Ready', status: 'False', reason: 'RevisionFailed', message: 'boom' }] }))).toEqual({
      state: 'failed', reason: 'RevisionFailed', message: 'boom', revision: 'g-a-00002',
    });
    expect(readiness(withStatus(3, { observedGeneration: 2 }))).toEqual({ state: 'pending', reason: 'NotReconciled', message: 'Knative has not yet seen generation 3' });
  });
});

describe('summarizeService', () => {
  it('reports the traffic split and the replicas of the revisions that get traffic', () => {
    const service = withStatus(2, {
      observedGeneration: 2,
      url: 'http://g-a.example.com',
      latestCreatedRevisionName: 'g-a-00002',
      latestReadyRevisionName: 'g-a-00002',
      conditions: [{ type: 'Ready', status: 'True' }],
      traffic: [
        { tag: 'canary', revisionName: 'g-a-00002', latestRevision: true, percent: 20 },
        { tag: 'stable', revisionName: 'g-a-00001', latestRevision: false, percent: 80 },
      ],
    });
    const summary = summarizeService(service, [revision('g-a', 1, 'True', 3), revision('g-a', 2, 'True', 1), revision('g-b', 1, 'True', 5)]);
    expect(summary).toMatchObject({
      name: 'g-a',
      function: 'a',
      url: 'http://g-a.example.com',
      latestReady: 'g-a-00002',
      traffic: [
        { tag: 'canary', revision: 'g-a-00002', percent: 20, latest: true },
        { tag: 'stable', revision: 'g-a-00001', percent: 80, latest: false },
      ],
      replicas: [
        { revision: 'g-a-00002', ready: 1, desired: 1 },
        { revision: 'g-a-00001', ready: 3, desired: 3 },
      ],
    });
  });
});
