/** The deployer's pure decisions: apply and delete order, what prune selects, and which fields changed. */
import { describe, expect, it } from 'vitest';
import { applyPhases, changedPaths, deleteOrder, pruneSet, type KubeObject } from '../../../runtime/engine/kubernetes/index.ts';
import { configMap, ksvc, NS } from './_objects.ts';

const names = (objects: KubeObject[]) => objects.map((o) => `${o.kind}/${o.metadata.name}`);

describe('applyPhases and deleteOrder', () => {
  const objects = [ksvc('g-orchestrator', 'orchestrator'), configMap('g-plan'), ksvc('g-b', 'b'), ksvc('g-a', 'a'), configMap('g-a-bundle')];

  it('applies config first, then functions, then the orchestrator, each in the order given', () => {
    const phases = applyPhases(objects);
    expect(names(phases.config)).toEqual(['ConfigMap/g-plan', 'ConfigMap/g-a-bundle']);
    expect(names(phases.functions)).toEqual(['Service/g-b', 'Service/g-a']);
    expect(names(phases.orchestrator)).toEqual(['Service/g-orchestrator']);
  });

  it('deletes the orchestrator first, then functions, then config, by name within each', () => {
    expect(names(deleteOrder(objects))).toEqual(['Service/g-orchestrator', 'Service/g-a', 'Service/g-b', 'ConfigMap/g-a-bundle', 'ConfigMap/g-plan']);
  });
});

describe('pruneSet', () => {
  it('selects what is labelled for the graph and not applied now, never another graph\'s or an unlabelled object', () => {
    const live = [
      ksvc('g-a', 'a'),
      ksvc('g-old', 'old'),
      configMap('g-old-bundle'),
      ksvc('h-old', 'old', {}, 'h'),
      configMap('unlabelled', {}),
      ksvc('g-orchestrator', 'orchestrator'),
    ];
    const desired = [ksvc('g-a', 'a'), ksvc('g-orchestrator', 'orchestrator'), configMap('g-plan')];
    expect(names(pruneSet(live, desired, 'g'))).toEqual(['Service/g-old', 'ConfigMap/g-old-bundle']);
  });

  it('tells objects apart by kind as well as name', () => {
    expect(names(pruneSet([configMap('g-a')], [ksvc('g-a', 'a')], 'g'))).toEqual(['ConfigMap/g-a']);
  });
});

describe('changedPaths', () => {
  const live = {
    ...ksvc('g-a', 'a'),
    metadata: { name: 'g-a', namespace: NS, resourceVersion: '7', generation: 2, uid: 'u', managedFields: [{ manager: 'x' }], annotations: { 'switchyard.dev/bundle-sha256': 'aa' } },
    status: { observedGeneration: 2 },
  } as KubeObject;

  it('ignores server-kept metadata, status and key order', () => {
    const same = { status: {}, kind: 'Service', apiVersion: 'serving.knative.dev/v1', spec: { template: { spec: { containers: [{ image: 'img:1' }] } } }, metadata: { annotations: { 'switchyard.dev/bundle-sha256': 'aa' }, namespace: NS, name: 'g-a', resourceVersion: '9' } } as KubeObject;
    expect(changedPaths(live, same)).toEqual([]);
  });

  it('names changed fields, quoting keys that are not identifiers, and compares lists whole', () => {
    const next = structuredClone(live) as any;
    next.metadata.annotations['switchyard.dev/bundle-sha256'] = 'bb';
    next.spec.template.spec.containers[0].image = 'img:2';
    next.spec.traffic = [{ latestRevision: true, percent: 100 }];
    expect(changedPaths(live, next)).toEqual(['metadata.annotations["switchyard.dev/bundle-sha256"]', 'spec.template.spec.containers', 'spec.traffic']);
  });

  it('never includes values (a Secret\'s data shows as its key only)', () => {
    const before = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { state: 'b2xk' } };
    const after = { ...before, data: { state: 'bmV3' } };
    expect(changedPaths(before, after)).toEqual(['data.state']);
  });
});
