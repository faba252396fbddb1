/** SeldonDeployments from the shapes of Seldon Core's docs, imported: the graph, the notes, and what is refused. */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { importSeldonDeployment } from '../../../compiler/import/seldon-deployment.ts';
import { checkSpec } from '../../../compiler/validate/index.ts';

const fixture = async (name: string) => parse(await readFile(`test/fixtures/seldon/${name}`, 'utf8'));

describe('importSeldonDeployment', () => {
  it('turns an A/B test into a weighted split over remote servers, with the unit\'s logger, as a valid graph', async () => {
    const result = importSeldonDeployment(await fixture('ab-test.yaml'));
    expect(result.problems).toEqual([]);
    expect(result.graph).toEqual({
      apiVersion: 'switchyard.dev/v1alpha1',
      kind: 'InferenceGraph',
      metadata: { name: 'iris-ab', namespace: 'models' },
      spec: {
        root: 'features',
        nodes: {
          features: {
            type: 'TRANSFORMER',
            remote: { url: 'http://iris-ab-default-features.models.svc.cluster.local:9000' },
            logger: { url: 'http://broker-ingress.knative-eventing.svc.cluster.local/models/default', mode: 'all' },
            children: ['ab'],
          },
          ab: { type: 'ROUTER', router: 'weighted-split', parameters: { weights: [0.8, 0.2] }, children: ['classifier-a', 'classifier-b'] },
          'classifier-a': { type: 'MODEL', remote: { url: 'http://iris-ab-default-classifier-a.models.svc.cluster.local:9000' } },
          'classifier-b': { type: 'MODEL', remote: { url: 'http://iris-ab-default-classifier-b.models.svc.cluster.local:9500', protocol: 'seldon-grpc' } },
        },
      },
    });
    expect(checkSpec(result.graph).ok).toBe(true);
    expect(result.notes).toContain('classifier-b: called over gRPC (seldon.protos.Model, Router, …), as its endpoint says, on port 9500 (Seldon Core 1.x\'s default)');
    expect(result.notes.filter((n) => n.includes('check it with kubectl get svc -n models'))).toHaveLength(3);
  });

  it('splits the traffic between predictors at the root, renames clashing units, and makes a shadow predictor a shadow', async () => {
    const result = importSeldonDeployment(await fixture('canary-shadow.yaml'));
    expect(result.problems).toEqual([]);
    const spec = result.graph!.spec as { root: string; nodes: Record<string, any> };
    expect(spec.root).toBe('traffic');
    expect(Object.keys(spec.nodes)).toEqual(['traffic', 'classifier', 'canary-classifier', 'candidate']);
    expect(spec.nodes.traffic).toEqual({ type: 'ROUTER', router: 'weighted-split', parameters: { weights: [75, 25] }, children: ['classifier', 'canary-classifier'], shadow: ['candidate'] });
    expect(spec.nodes['canary-classifier'].remote).toEqual({ url: 'http://iris-canary-classifier.default.svc.cluster.local:9000', protocol: 'v2', model: 'classifier' });
    expect(spec.nodes.candidate.remote).toEqual({ url: 'http://triton.models:8000', protocol: 'v2', model: 'candidate' });
    expect(checkSpec(result.graph).ok).toBe(true);
  });

  it('calls units over gRPC where the deployment\'s transport or the unit\'s endpoint says so, at the declared port', () => {
    const sdep = (spec: object) => ({ apiVersion: 'machinelearning.seldon.io/v1', kind: 'SeldonDeployment', metadata: { name: 'g', namespace: 'ns' }, spec });
    const graph = {
      name: 'tx',
      type: 'TRANSFORMER',
      endpoint: { grpcPort: 9501 },
      children: [{ name: 'model', implementation: 'SKLEARN_SERVER', endpoint: { type: 'REST' } }],
    };
    const seldon = importSeldonDeployment(sdep({ transport: 'grpc', predictors: [{ name: 'p', graph }] }));
    expect(seldon.problems).toEqual([]);
    const nodes = (seldon.graph!.spec as { nodes: Record<string, any> }).nodes;
    expect(nodes.tx.remote).toEqual({ url: 'http://g-p-tx.ns.svc.cluster.local:9501', protocol: 'seldon-grpc' });
    expect(nodes.model.remote).toEqual({ url: 'http://g-p-model.ns.svc.cluster.local:9000' });
    expect(checkSpec(seldon.graph).ok).toBe(true);

    const v2 = importSeldonDeployment(sdep({ protocol: 'v2', predictors: [{ name: 'p', graph: { name: 'm', implementation: 'TRITON_SERVER', endpoint: { type: 'GRPC', service_host: 'triton.ns', service_port: 8001 } } }] }));
    expect((v2.graph!.spec as { nodes: Record<string, any> }).nodes.m.remote).toEqual({ url: 'http://triton.ns:8001', protocol: 'grpc-v2', model: 'm' });
    expect(v2.notes).toContain('m: called over gRPC (inference.GRPCInferenceService/ModelInfer), as its endpoint says, on port 8001');
    expect(checkSpec(v2.graph).ok).toBe(true);
  });

  it('notes a unit\'s methods, which a node does not make beyond its type\'s calls', () => {
    const result = importSeldonDeployment({ apiVersion: 'machinelearning.seldon.io/v1', kind: 'SeldonDeployment', metadata: { name: 'm', namespace: 'ns' }, spec: { predictors: [{ name: 'p', graph: { name: 'model', type: 'MODEL', methods: ['PREDICT', 'TRANSFORM_OUTPUT'] } }] } });
    expect(result.problems).toEqual([]);
    expect(result.notes).toContain('model.methods: PREDICT, TRANSFORM_OUTPUT are not called here: the node makes its type\'s calls only (MODEL); to have one unit also transform-output, add a node of that type calling the same url');
  });

  it('refuses what has no equivalent, naming the field', () => {
    const sdep = (spec: object) => ({ apiVersion: 'machinelearning.seldon.io/v1', kind: 'SeldonDeployment', metadata: { name: 'x' }, spec });
    expect(importSeldonDeployment({ kind: 'InferenceService' }).problems).toEqual([
      'kind: expected a SeldonDeployment (apiVersion machinelearning.seldon.io/v1), received "InferenceService"',
    ]);
    expect(importSeldonDeployment(sdep({ protocol: 'tensorflow', predictors: [{ name: 'p', graph: { name: 'm', type: 'MODEL' } }] })).problems).toEqual([
      'spec.protocol: "tensorflow" has no equivalent here: Switchyard\'s remote nodes speak seldon and v2 (the Open Inference Protocol)',
    ]);
    expect(importSeldonDeployment(sdep({ predictors: [{ name: 'p', graph: { name: 'm', implementation: 'SIMPLE_MODEL' } }] })).problems).toEqual([
      'spec.predictors[0].graph.implementation: SIMPLE_MODEL is one of Seldon\'s test stubs and has no equivalent here; give the unit a real model',
    ]);
    expect(importSeldonDeployment(sdep({ protocol: 'v2', predictors: [{ name: 'p', graph: { name: 't', type: 'TRANSFORMER', children: [{ name: 'm', type: 'MODEL' }] } }] })).problems).toEqual([
      'spec.predictors[0].graph.type: a TRANSFORMER under the v2 protocol has no Open Inference Protocol path to call; only MODEL units can be remote v2 nodes',
    ]);
    expect(importSeldonDeployment(sdep({ predictors: [{ name: 'p', shadow: true, graph: { name: 'm', type: 'MODEL' } }] })).problems).toEqual([
      'spec.predictors: every predictor is a shadow; one must serve the traffic',
    ]);
  });
});
