/** KServe resources in the shapes of KServe's docs, imported: the graph, the notes, and what is refused. */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { importInferenceGraph, importInferenceService } from '../../../compiler/import/kserve.ts';
import { checkSpec } from '../../../compiler/validate/index.ts';

const fixture = async (name: string) => parse(await readFile(`test/fixtures/kserve/${name}`, 'utf8'));

describe('importInferenceService', () => {
  it('is a graph of one remote model at the service\'s address, in its protocol', async () => {
    const result = importInferenceService(await fixture('isvc.yaml'));
    expect(result.graph).toEqual({
      apiVersion: 'switchyard.dev/v1alpha1',
      kind: 'InferenceGraph',
      metadata: { name: 'sklearn-iris', namespace: 'ml' },
      spec: { root: 'sklearn-iris', nodes: { 'sklearn-iris': { type: 'MODEL', remote: { url: 'http://sklearn-iris.ml.svc.cluster.local', protocol: 'v2', model: 'sklearn-iris' } } } },
    });
    expect(checkSpec(result.graph).ok).toBe(true);
    const v1 = importInferenceService({ kind: 'InferenceService', metadata: { name: 'xgb' }, spec: { predictor: { xgboost: {} } } });
    expect((v1.graph!.spec as any).nodes.xgb.remote).toEqual({ url: 'http://xgb.default.svc.cluster.local', protocol: 'kserve-v1', model: 'xgb' });
  });

  it('says how to serve an ONNX predictor\'s model here, from its storageUri where Switchyard can download it', () => {
    const https = importInferenceService({ kind: 'InferenceService', metadata: { name: 'iris-onnx' }, spec: { predictor: { model: { modelFormat: { name: 'onnx' }, storageUri: 'https://models.example.com/iris/model.onnx' } } } });
    expect(https.notes).toContain('iris-onnx: an ONNX model at https://models.example.com/iris/model.onnx; to serve it here instead of calling the InferenceService, replace its remote with onnx: {path: https://models.example.com/iris/model.onnx} (public objects; a presigned https URL for a private one)');
    const gs = importInferenceService({ kind: 'InferenceService', metadata: { name: 'style' }, spec: { predictor: { onnx: { storageUri: 'gs://kfserving-examples/models/onnx' } } } });
    expect(gs.notes.find((n) => n.startsWith('style: an ONNX model at gs://'))).toMatch(/replace its remote with onnx: \{path: gs:\/\/kfserving-examples\/models\/onnx\/<file>\.onnx\}/);
    const s3 = importInferenceService({ kind: 'InferenceService', metadata: { name: 'private' }, spec: { predictor: { model: { modelFormat: { name: 'onnx' }, storageUri: 's3://models/iris/model.onnx' } } } });
    expect(s3.notes.find((n) => n.startsWith('private: an ONNX model at s3://'))).toMatch(/onnx: \{path: s3:\/\/models\/iris\/model\.onnx\} \(a private bucket: onnx\.credentialsSecret names the Secret/);
    const pvc = importInferenceService({ kind: 'InferenceService', metadata: { name: 'local' }, spec: { predictor: { model: { modelFormat: { name: 'onnx' }, storageUri: 'pvc://models/iris' } } } });
    expect(pvc.notes.find((n) => n.startsWith('local: an ONNX model at pvc://'))).toMatch(/replace its remote with onnx: \{path: pvc:\/\/models\/iris\/<file>\.onnx\} \(read from the claim by the pod on Kubernetes/);
    const hdfs = importInferenceService({ kind: 'InferenceService', metadata: { name: 'far' }, spec: { predictor: { model: { modelFormat: { name: 'onnx' }, storageUri: 'hdfs://nn/iris' } } } });
    expect(hdfs.notes.find((n) => n.startsWith('far: an ONNX model at hdfs://'))).toMatch(/give onnx\.path the file's https, s3:\/\/ or gs:\/\/ URL/);
    const sklearn = importInferenceService({ kind: 'InferenceService', metadata: { name: 'sk' }, spec: { predictor: { model: { modelFormat: { name: 'sklearn' }, storageUri: 'https://x/model.joblib' } } } });
    expect(sklearn.notes.some((n) => n.includes('ONNX'))).toBe(false);
  });

  it('calls a predictor that declares protocolVersion: grpc-v2 over gRPC', () => {
    // The shape of KServe's gRPC example: the model server's port is h2c.
    const result = importInferenceService({
      kind: 'InferenceService',
      metadata: { name: 'torchserve-grpc', namespace: 'ml' },
      spec: { predictor: { model: { modelFormat: { name: 'pytorch' }, protocolVersion: 'grpc-v2', storageUri: 'gs://kfserving-examples/models/torchserve/image_classifier/v2', ports: [{ name: 'h2c', protocol: 'TCP', containerPort: 8081 }] } } },
    });
    expect((result.graph!.spec as any).nodes['torchserve-grpc'].remote).toEqual({ url: 'http://torchserve-grpc.ml.svc.cluster.local', protocol: 'grpc-v2', model: 'torchserve-grpc' });
    expect(result.notes).toContain('torchserve-grpc: called over gRPC (ModelInfer), as its protocolVersion says, in cleartext HTTP/2 on port 80');
    expect(checkSpec(result.graph).ok).toBe(true);
  });
});

describe('importInferenceGraph', () => {
  it('keeps a Splitter as a weighted split and a Sequence as a chain, steps as remote models', async () => {
    const result = importInferenceGraph(await fixture('splitter-sequence.yaml'));
    expect(result.problems).toEqual([]);
    expect(result.graph!.spec).toEqual({
      root: 'root',
      nodes: {
        root: { type: 'ROUTER', router: 'weighted-split', parameters: { weights: [80, 20] }, children: ['sklearn-iris', 'preprocess'] },
        'sklearn-iris': { type: 'MODEL', remote: { url: 'http://sklearn-iris.ml.svc.cluster.local', protocol: 'kserve-v1', model: 'sklearn-iris' } },
        preprocess: { type: 'MODEL', remote: { url: 'http://iris-preprocess.ml.svc.cluster.local', protocol: 'kserve-v1', model: 'iris-preprocess' }, children: ['xgboost-iris'] },
        'xgboost-iris': { type: 'MODEL', remote: { url: 'http://xgboost-iris.ml.svc.cluster.local', protocol: 'kserve-v1', model: 'xgboost-iris' } },
      },
    });
    expect(checkSpec(result.graph).ok).toBe(true);
    expect(result.notes).toContain('preprocess: remote at http://iris-preprocess.ml.svc.cluster.local, model iris-preprocess, over KServe\'s V1 protocol; for an InferenceService that speaks V2, write protocol: v2');
  });

  it('makes a Switch a switch router whose cases are its steps\' conditions, a step without one the default', () => {
    const result = importInferenceGraph({
      apiVersion: 'serving.kserve.io/v1alpha1',
      kind: 'InferenceGraph',
      metadata: { name: 'picker', namespace: 'ml' },
      spec: {
        nodes: {
          root: {
            routerType: 'Switch',
            steps: [
              { serviceName: 'abc-model', condition: '[@this].#(decision_picker=="ABC")' },
              { serviceName: 'big-model', condition: '[@this].#(instances.0.0 >= 10)' },
              { serviceName: 'vip-model', condition: 'vip' },
              { serviceName: 'default-model' },
            ],
          },
        },
      },
    });
    expect(result.problems).toEqual([]);
    const spec = result.graph!.spec as { root: string; nodes: Record<string, any> };
    expect(spec.nodes[spec.root]).toEqual({
      type: 'ROUTER',
      router: 'switch',
      parameters: {
        cases: [
          { field: 'meta.tags.decision_picker', equals: 'ABC', child: 'abc-model' },
          { field: 'data.ndarray[0][0]', atLeast: 10, child: 'big-model' },
          { field: 'meta.tags.vip', exists: true, child: 'vip-model' },
        ],
        default: 'default-model',
      },
      children: ['abc-model', 'big-model', 'vip-model', 'default-model'],
    });
    expect(checkSpec(result.graph).ok).toBe(true);
  });

  it('makes an Ensemble a kserve-ensemble combiner over its steps, noting steps KServe would key by index', () => {
    const result = importInferenceGraph({ apiVersion: 'serving.kserve.io/v1alpha1', kind: 'InferenceGraph', metadata: { name: 'both' }, spec: { nodes: { root: { routerType: 'Ensemble', steps: [{ name: 'sk', serviceName: 'sklearn-iris' }, { serviceName: 'xgboost-iris' }] } } } });
    expect(result.problems).toEqual([]);
    const spec = result.graph!.spec as { root: string; nodes: Record<string, any> };
    expect(spec.nodes[spec.root]).toEqual({ type: 'COMBINER', combiner: 'kserve-ensemble', children: ['sk', 'xgboost-iris'] });
    expect(checkSpec(result.graph).ok).toBe(true);
    expect(result.notes).toContain('root: KServe keys an unnamed step\'s answer by its index; here each answer is keyed by its node\'s name (steps[1] as "xgboost-iris"): name the steps to keep the keys');
  });

  it('refuses what has no faithful translation, saying what to write instead', () => {
    const graph = (root: object) => ({ apiVersion: 'serving.kserve.io/v1alpha1', kind: 'InferenceGraph', metadata: { name: 'g' }, spec: { nodes: { root } } });
    expect(importInferenceGraph(graph({ routerType: 'Switch', steps: [{ serviceName: 'a', condition: 'instances.#(x>1)' }] })).problems).toEqual([
      'spec.nodes.root.steps[0].condition: "instances.#(x>1)" has no translation: write the case by hand (switch cases compare one field with a value: equals, notEquals, in, greaterThan, lessThan, atLeast, atMost or exists)',
    ]);
    expect(importInferenceGraph(graph({ routerType: 'Switch', steps: [{ serviceName: 'a' }, { serviceName: 'b' }] })).problems).toEqual([
      'spec.nodes.root.steps[1]: a second step without a condition is never reached (the first one takes every request the conditions do not); give it a condition',
    ]);
    expect(importInferenceGraph(graph({ routerType: 'Sequence', steps: [{ serviceName: 'a' }, { serviceName: 'b', data: '$request' }] })).problems[0]).toMatch(
      /^spec\.nodes\.root\.steps\[1\]\.data: \$request \(the original request/,
    );
    expect(importInferenceGraph(graph({ routerType: 'Sequence', steps: [{ nodeName: 'missing' }] })).problems).toEqual(['spec.nodes.root.steps[0].nodeName: no node "missing" in spec.nodes']);
  });
});
