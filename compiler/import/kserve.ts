/**
 * @module KServe resources as a Switchyard graph, for `switchyard import`: the InferenceServices keep running; the
 * graph calls them as remote nodes.
 *
 * - An InferenceService (serving.kserve.io/v1beta1) becomes a graph of one remote MODEL node at its in-cluster
 *   address, `http://<name>.<namespace>.svc.cluster.local` (through its transformer, when it has one), speaking
 *   the protocol its predictor declares (`protocolVersion: v2`, `grpc-v2` over gRPC, else KServe's V1), model
 *   name its own.
 * - An InferenceGraph (serving.kserve.io/v1alpha1) keeps its shape where Switchyard has the same one: a `Splitter`
 *   becomes a `weighted-split` with the steps' weights, a `Sequence` a chain in which each step gets the previous
 *   step's answer, a `Switch` a `switch` router whose cases are its steps' conditions (./gjson-condition.ts: one
 *   field compared with a value, or present; a step without a condition is the default). A step is an
 *   InferenceService (`serviceName`, or `serviceUrl`) or another node of the graph (`nodeName`). Steps are called
 *   with KServe's V1 protocol (what InferenceGraphs forward by default): a note says where to write `protocol: v2`.
 *   An `Ensemble` is a `kserve-ensemble` combiner over its steps (the same map of each step's answer).
 * - A Sequence step that takes the original request (`data: $request`) has no faithful translation, nor a GJSON
 *   condition beyond one comparison: each is a problem that says what to write by hand.
 */
import { GRAPH_API_VERSION, GRAPH_KIND } from '../spec/index.ts';
import { isRecord, type RawRecord as Raw } from '../validate/_raw.ts';
import { resourceIdentity, type ImportResult } from './resource.ts';
import { isModelUrl, pvcModel } from '../validate/model-download.ts';
import { conditionToCase } from './gjson-condition.ts';

/** The graph an InferenceService stands for. */
export function importInferenceService(document: Raw): ImportResult {
  const problems: string[] = [];
  const notes: string[] = [];
  const { name, namespace } = resourceIdentity(document);
  if (name === undefined) return { problems: ['metadata.name: expected the InferenceService\'s name'], notes };
  const predictor = isRecord(document.spec) && isRecord(document.spec.predictor) ? document.spec.predictor : {};
  const model = isRecord(predictor.model) ? predictor.model : {};
  const declared = model.protocolVersion ?? predictor.protocolVersion;
  const protocol = declared === 'v2' ? 'v2' : declared === 'grpc-v2' ? 'grpc-v2' : 'kserve-v1';
  const url = `http://${name}.${namespace}.svc.cluster.local`;
  notes.push(`${name}: remote at ${url}, KServe's in-cluster address of the InferenceService; check it with kubectl get inferenceservice ${name} -n ${namespace}`);
  if (protocol === 'grpc-v2') notes.push(`${name}: called over gRPC (ModelInfer), as its protocolVersion says, in cleartext HTTP/2 on port 80`);
  const notice = onnxModelNote(name, predictor, model);
  if (notice !== undefined) notes.push(notice);
  return {
    graph: {
      apiVersion: GRAPH_API_VERSION,
      kind: GRAPH_KIND,
      metadata: { name, namespace },
      spec: { root: name, nodes: { [name]: { type: 'MODEL', remote: { url, protocol, model: name } } } },
    },
    problems,
    notes,
  };
}

/**
 * An ONNX predictor's model could be served by Switchyard itself rather than called: say how, when its
 * storageUri is one Switchyard can download (http(s), and public s3:// or gs:// objects), or what to use instead.
 */
function onnxModelNote(name: string, predictor: Raw, model: Raw): string | undefined {
  const format = isRecord(model.modelFormat) ? model.modelFormat.name : undefined;
  const onnx = isRecord(predictor.onnx) ? predictor.onnx : undefined;
  if (format !== 'onnx' && onnx === undefined) return undefined;
  const uri = typeof model.storageUri === 'string' ? model.storageUri : typeof onnx?.storageUri === 'string' ? onnx.storageUri : undefined;
  if (uri === undefined) return undefined;
  if (pvcModel(uri) !== undefined) {
    return `${name}: an ONNX model at ${uri}; to serve it here instead of calling the InferenceService, replace its remote with onnx: {path: ${uri}${uri.endsWith('.onnx') ? '' : '/<file>.onnx'}} (read from the claim by the pod on Kubernetes; switchyard up needs the file itself)`;
  }
  return isModelUrl(uri)
    ? `${name}: an ONNX model at ${uri}; to serve it here instead of calling the InferenceService, replace its remote with onnx: {path: ${uri}${uri.endsWith('.onnx') ? '' : '/<file>.onnx'}}${/^s3:\/\//i.test(uri) ? ' (a private bucket: onnx.credentialsSecret names the Secret with its AWS keys, as the InferenceService\'s storage secret holds them)' : ' (public objects; a presigned https URL for a private one)'}`
    : `${name}: an ONNX model at ${uri}; to serve it here instead of calling the InferenceService, give onnx.path the file's https, s3:// or gs:// URL`;
}

/** The graph an InferenceGraph stands for, where its routers have an equivalent. */
export function importInferenceGraph(document: Raw): ImportResult {
  const problems: string[] = [];
  const notes: string[] = [];
  const { name, namespace } = resourceIdentity(document);
  if (name === undefined) problems.push('metadata.name: expected the InferenceGraph\'s name');
  const graphNodes = isRecord(document.spec) && isRecord(document.spec.nodes) ? document.spec.nodes : undefined;
  if (graphNodes === undefined || !isRecord(graphNodes.root)) {
    problems.push('spec.nodes.root: expected the graph\'s root node');
    return { problems, notes };
  }
  const nodes: Record<string, Raw> = {};
  const taken = (wanted: string) => {
    let candidate = wanted;
    for (let i = 2; candidate in nodes; i++) candidate = `${wanted}-${i}`;
    return candidate;
  };
  const serviceNode = (step: Raw, path: string): string | undefined => {
    const service = typeof step.serviceName === 'string' ? step.serviceName : undefined;
    const explicitUrl = typeof step.serviceUrl === 'string' ? step.serviceUrl : undefined;
    if (service === undefined && explicitUrl === undefined) {
      problems.push(`${path}: expected serviceName, serviceUrl or nodeName`);
      return undefined;
    }
    const nodeName = taken(typeof step.name === 'string' && step.name !== '' ? step.name : (service ?? 'step'));
    // A serviceUrl may name the whole endpoint (…/v1/models/m:predict or …/v2/models/m/infer): its base, model and
    // protocol come from it.
    const endpoint = explicitUrl === undefined ? undefined : /^(.*?)\/(?:v1\/models\/([^/:]+):predict|v2\/models\/([^/]+)\/infer)\/?$/.exec(explicitUrl);
    const url = endpoint?.[1] ?? explicitUrl ?? `http://${service}.${namespace}.svc.cluster.local`;
    const modelName = endpoint?.[2] ?? endpoint?.[3] ?? service ?? nodeName;
    const protocol = endpoint?.[3] !== undefined ? 'v2' : 'kserve-v1';
    nodes[nodeName] = { type: 'MODEL', remote: { url, protocol, model: modelName } };
    notes.push(
      endpoint === null || endpoint === undefined
        ? `${nodeName}: remote at ${url}, model ${modelName}, over KServe's V1 protocol; for an InferenceService that speaks V2, write protocol: v2`
        : `${nodeName}: remote at ${url}, model ${modelName}, over ${protocol === 'v2' ? 'the Open Inference Protocol' : "KServe's V1 protocol"}, as its serviceUrl says`,
    );
    return nodeName;
  };
  const visiting = new Set<string>();
  const convertNode = (graphNodeName: string, path: string): string | undefined => {
    const node = graphNodes[graphNodeName];
    if (!isRecord(node)) {
      problems.push(`${path}: no node "${graphNodeName}" in spec.nodes`);
      return undefined;
    }
    if (visiting.has(graphNodeName)) {
      problems.push(`${path}: node "${graphNodeName}" is reached from itself`);
      return undefined;
    }
    visiting.add(graphNodeName);
    const at = `spec.nodes.${graphNodeName}`;
    const steps = Array.isArray(node.steps) ? node.steps.filter(isRecord) : [];
    if (steps.length === 0) problems.push(`${at}.steps: expected at least one step`);
    const stepNode = (step: Raw, i: number): string | undefined =>
      typeof step.nodeName === 'string' ? convertNode(step.nodeName, `${at}.steps[${i}].nodeName`) : serviceNode(step, `${at}.steps[${i}]`);
    let result: string | undefined;
    switch (node.routerType) {
      case 'Splitter': {
        const router = taken(graphNodeName);
        nodes[router] = { type: 'ROUTER', router: 'weighted-split' };
        const children = steps.map(stepNode);
        const weights = steps.map((step) => (typeof step.weight === 'number' ? step.weight : 0));
        if (!weights.some((w) => w > 0)) problems.push(`${at}.steps: a Splitter's steps need weights (percentages of the traffic)`);
        nodes[router] = { ...nodes[router], parameters: { weights }, children: children.filter((c): c is string => c !== undefined) };
        result = router;
        break;
      }
      case 'Sequence': {
        // A chain: each step is the child of the one before and gets its answer.
        const chain: string[] = [];
        steps.forEach((step, i) => {
          if (i > 0 && step.data === '$request') {
            problems.push(`${at}.steps[${i}].data: $request (the original request, not the previous answer) has no equivalent in a chain here; put this step beside the others under a COMBINER, or drop data: $request`);
          }
          const converted = stepNode(step, i);
          if (converted !== undefined) chain.push(converted);
        });
        for (let i = 0; i + 1 < chain.length; i++) {
          const parent = nodes[chain[i]!]!;
          if (Array.isArray(parent.children) && parent.children.length > 0) {
            problems.push(`${at}.steps[${i}]: a Sequence step that is itself a router or a sequence cannot be followed by another step here; make it the last step`);
          } else parent.children = [chain[i + 1]];
        }
        result = chain[0];
        break;
      }
      case 'Switch': {
        // The first step whose condition finds something runs; a step without one takes what the others do not.
        const router = taken(graphNodeName);
        nodes[router] = { type: 'ROUTER', router: 'switch' };
        const children: string[] = [];
        const cases: Array<Record<string, unknown>> = [];
        let fallback: string | undefined;
        steps.forEach((step, i) => {
          const child = stepNode(step, i);
          if (child === undefined) return;
          children.push(child);
          if (typeof step.condition !== 'string' || step.condition.trim() === '') {
            if (fallback === undefined) fallback = child;
            else problems.push(`${at}.steps[${i}]: a second step without a condition is never reached (the first one takes every request the conditions do not); give it a condition`);
            return;
          }
          const translated = conditionToCase(step.condition);
          if ('problem' in translated) problems.push(`${at}.steps[${i}].condition: ${translated.problem}`);
          else cases.push({ ...translated.case, child });
        });
        nodes[router] = { ...nodes[router], parameters: { cases, ...(fallback === undefined ? {} : { default: fallback }) }, children };
        notes.push(
          `${router}: KServe's Switch as a switch router; its conditions read the request's fields as they reach the graph: a V1 body's instances as data.ndarray, its other top-level fields as meta.tags` +
            (fallback === undefined ? '; a request that matches no condition is a 400 naming the router (KServe answers 404)' : ''),
        );
        result = router;
        break;
      }
      case 'Ensemble': {
        // Every step in parallel, answered as {step: its answer}: KServe's key is the step's name, else its index.
        const combiner = taken(graphNodeName);
        nodes[combiner] = { type: 'COMBINER', combiner: 'kserve-ensemble' };
        const children = steps.map(stepNode).filter((c): c is string => c !== undefined);
        nodes[combiner] = { ...nodes[combiner], children };
        const unnamed = steps.map((step, i) => (typeof step.name === 'string' && step.name !== '' ? undefined : `steps[${i}] as "${children[i] ?? '?'}"`)).filter((s) => s !== undefined);
        if (unnamed.length > 0) notes.push(`${combiner}: KServe keys an unnamed step's answer by its index; here each answer is keyed by its node's name (${unnamed.join(', ')}): name the steps to keep the keys`);
        result = combiner;
        break;
      }
      default:
        problems.push(`${at}.routerType: expected Sequence, Splitter, Switch or Ensemble, received ${JSON.stringify(node.routerType ?? null)}`);
    }
    visiting.delete(graphNodeName);
    return result;
  };
  const root = convertNode('root', 'spec.nodes.root');
  if (problems.length > 0 || name === undefined || root === undefined) return { problems, notes };
  return {
    graph: { apiVersion: GRAPH_API_VERSION, kind: GRAPH_KIND, metadata: { name, namespace }, spec: { root, nodes: { [root]: nodes[root], ...nodes } } },
    problems,
    notes,
  };
}
