/**
 * @module A SeldonDeployment (machinelearning.seldon.io/v1, Seldon Core 1.x) as a Switchyard graph, for
 * `switchyard import`: the models keep running where they run; the graph calls them as remote nodes.
 *
 * - Each predictive unit becomes a node with the same name, type and children (a unit without a type gets the
 *   one its implementation implies). Where two predictors name a unit alike, the second predictor's names are
 *   prefixed with its own.
 * - `RANDOM_ABTEST` (`ratioA`) becomes a `weighted-split`, `AVERAGE_COMBINER` a `mean` combiner. Every other unit
 *   — a prepackaged server (`SKLEARN_SERVER`, `TRITON_SERVER`, …) or a container of yours — becomes a remote node
 *   at the Service Seldon runs it behind: `endpoint.service_host`/`service_port` when the unit sets them, else
 *   `<deployment>-<predictor>-<unit>.<namespace>.svc.cluster.local:9000`, Seldon Core 1.x's naming (check it with
 *   `kubectl get svc -n <namespace>`). It speaks the deployment's protocol: Seldon's component paths, or the Open
 *   Inference Protocol for `protocol: v2` (`kfserving`), model name the unit's; over gRPC where the unit's
 *   `endpoint.type` (or else the deployment's `transport`) says GRPC (`seldon-grpc`, `grpc-v2`), at the
 *   endpoint's `grpcPort` (or `service_port`), else 9500.
 * - Predictors sharing the traffic (`traffic`) become a weighted split at the root; a `shadow: true` predictor
 *   becomes a shadow of the root.
 * - A unit's `logger` becomes its `logger`.
 * What has no equivalent (Seldon's test stubs, the tensorflow protocol, explainers) is a problem that names the
 * field; what the user should check (a guessed Service URL, gRPC endpoints, dropped parameters) is a note.
 */
import { GRAPH_API_VERSION, GRAPH_KIND } from '../spec/index.ts';
import { isRecord, type RawRecord as Raw } from '../validate/_raw.ts';
import { resourceIdentity, type ImportResult } from './resource.ts';

const PREPACKAGED = new Set([
  'SKLEARN_SERVER',
  'XGBOOST_SERVER',
  'TENSORFLOW_SERVER',
  'MLFLOW_SERVER',
  'TRITON_SERVER',
  'HUGGINGFACE_SERVER',
  'TEMPO_SERVER',
]);
const TEST_STUBS = new Set(['SIMPLE_MODEL', 'SIMPLE_ROUTER', 'UNKNOWN_IMPLEMENTATION']);
const NODE_TYPES = new Set(['MODEL', 'TRANSFORMER', 'OUTPUT_TRANSFORMER', 'ROUTER', 'COMBINER']);
/** Seldon Core 1.x's default REST and gRPC ports of a predictive unit. */
const UNIT_HTTP_PORT = 9000;
const UNIT_GRPC_PORT = 9500;


export function importSeldonDeployment(document: unknown): ImportResult {
  const problems: string[] = [];
  const notes: string[] = [];
  if (!isRecord(document) || document.kind !== 'SeldonDeployment') {
    return { problems: [`kind: expected a SeldonDeployment (apiVersion machinelearning.seldon.io/v1), received ${JSON.stringify(isRecord(document) ? document.kind ?? null : document)}`], notes };
  }
  const spec = isRecord(document.spec) ? document.spec : {};
  const { name, namespace } = resourceIdentity(document);
  if (name === undefined) problems.push('metadata.name: expected the SeldonDeployment\'s name');
  const deployment = typeof spec.name === 'string' && spec.name !== '' ? spec.name : (name ?? 'graph');
  const protocolName = typeof spec.protocol === 'string' ? spec.protocol : 'seldon';
  if (!['seldon', 'v2', 'kfserving'].includes(protocolName)) {
    problems.push(`spec.protocol: "${protocolName}" has no equivalent here: Switchyard's remote nodes speak seldon and v2 (the Open Inference Protocol)`);
  }
  const protocol = protocolName === 'seldon' ? 'seldon' : 'v2';
  const transport = typeof spec.transport === 'string' && spec.transport.toLowerCase() === 'grpc' ? 'GRPC' : 'REST';
  const predictors = Array.isArray(spec.predictors) ? spec.predictors.filter(isRecord) : [];
  if (predictors.length === 0) problems.push('spec.predictors: expected at least one predictor with a graph');

  const nodes: Record<string, Raw> = {};
  const roots: Array<{ predictor: string; root: string; traffic: number; shadow: boolean }> = [];
  predictors.forEach((predictor, p) => {
    const at = `spec.predictors[${p}]`;
    const predictorName = typeof predictor.name === 'string' ? predictor.name : `predictor-${p}`;
    if (!isRecord(predictor.graph)) {
      problems.push(`${at}.graph: expected the predictor's graph`);
      return;
    }
    if (predictor.explainer !== undefined) notes.push(`${at}.explainer: explainers have no equivalent here; it was left out`);
    // Names already taken by an earlier predictor are prefixed with this predictor's name.
    const units: Raw[] = [];
    const collect = (unit: Raw) => {
      units.push(unit);
      if (Array.isArray(unit.children)) for (const child of unit.children) if (isRecord(child)) collect(child);
    };
    collect(predictor.graph);
    const clash = units.some((unit) => typeof unit.name === 'string' && unit.name in nodes);
    const rename = (unitName: string) => (clash ? `${predictorName}-${unitName}` : unitName);
    const convert = (unit: Raw, path: string): string | undefined => {
      const unitName = typeof unit.name === 'string' && unit.name !== '' ? unit.name : undefined;
      if (unitName === undefined) {
        problems.push(`${path}.name: expected the unit's name`);
        return undefined;
      }
      const node = convertUnit(unit, path, { deployment, predictor: predictorName, namespace, protocol, transport }, problems, notes);
      // The parent first, so the file reads from the root down.
      nodes[rename(unitName)] = node;
      const children = Array.isArray(unit.children) ? unit.children.filter(isRecord) : [];
      const childNames = children.map((child, i) => convert(child, `${path}.children[${i}]`)).filter((n): n is string => n !== undefined);
      if (childNames.length > 0) node.children = childNames;
      return rename(unitName);
    };
    const root = convert(predictor.graph, `${at}.graph`);
    if (root === undefined) return;
    const traffic = typeof predictor.traffic === 'number' ? predictor.traffic : predictors.length === 1 ? 100 : 0;
    roots.push({ predictor: predictorName, root, traffic, shadow: predictor.shadow === true });
  });

  const serving = roots.filter((r) => !r.shadow);
  const shadows = roots.filter((r) => r.shadow);
  if (roots.length > 0 && serving.length === 0) problems.push('spec.predictors: every predictor is a shadow; one must serve the traffic');
  let root = serving[0]?.root;
  if (serving.length > 1) {
    // Seldon splits the traffic between predictors at the ingress: here, a weighted split at the root.
    const split = uniqueName('traffic', nodes);
    const weights: number[] = serving.map((r) => r.traffic);
    if (!weights.some((w) => w > 0)) weights.fill(1);
    nodes[split] = { type: 'ROUTER', router: 'weighted-split', parameters: { weights }, children: serving.map((r) => r.root) };
    root = split;
    notes.push(`${split}: the predictors ${serving.map((r) => `${r.predictor} (${r.traffic} %)`).join(', ')} shared the traffic; a weighted split at the root does it now`);
  }
  if (root !== undefined && shadows.length > 0) {
    // The root node takes the shadows; where that is the split, they see every request as the split does.
    const rootNode = nodes[root]!;
    rootNode.shadow = shadows.map((s) => s.root);
    notes.push(`${root}.shadow: the shadow predictor${shadows.length === 1 ? '' : 's'} ${shadows.map((s) => s.predictor).join(', ')} get${shadows.length === 1 ? 's' : ''} a copy of every request`);
  }
  if (problems.length > 0 || name === undefined || root === undefined) return { problems, notes };
  return {
    graph: {
      apiVersion: GRAPH_API_VERSION,
      kind: GRAPH_KIND,
      metadata: { name, namespace },
      // The root first, as it is where a reader starts.
      spec: { root, nodes: { [root]: nodes[root], ...nodes } },
    },
    problems,
    notes,
  };
}

interface UnitContext {
  deployment: string;
  predictor: string;
  namespace: string;
  protocol: 'seldon' | 'v2';
  /** `spec.transport`: how units without an `endpoint.type` are called. */
  transport: 'REST' | 'GRPC';
}

function convertUnit(unit: Raw, path: string, context: UnitContext, problems: string[], notes: string[]): Raw {
  const unitName = unit.name as string;
  const implementation = typeof unit.implementation === 'string' ? unit.implementation : undefined;
  const parameters = Array.isArray(unit.parameters) ? unit.parameters.filter(isRecord) : [];
  const declared = typeof unit.type === 'string' ? unit.type : undefined;
  if (declared !== undefined && !NODE_TYPES.has(declared)) problems.push(`${path}.type: "${declared}" is not a Seldon node type (MODEL, TRANSFORMER, OUTPUT_TRANSFORMER, ROUTER, COMBINER)`);
  const node: Raw = {};
  const logger = isRecord(unit.logger) ? unit.logger : undefined;

  if (implementation === 'RANDOM_ABTEST') {
    const ratio = parameters.find((p) => p.name === 'ratioA');
    const ratioA = ratio === undefined ? 0.5 : Number(ratio.value);
    if (!(ratioA >= 0 && ratioA <= 1)) problems.push(`${path}.parameters: ratioA must be a number from 0 to 1, received ${JSON.stringify(ratio?.value ?? null)}`);
    // Rounded to 9 places, so 0.8 leaves 0.2 and not 0.19999999999999996.
    Object.assign(node, { type: 'ROUTER', router: 'weighted-split', parameters: { weights: [ratioA, Math.round((1 - ratioA) * 1e9) / 1e9] } });
  } else if (implementation === 'AVERAGE_COMBINER') {
    Object.assign(node, { type: 'COMBINER', combiner: 'mean' });
  } else if (implementation !== undefined && TEST_STUBS.has(implementation)) {
    problems.push(`${path}.implementation: ${implementation} is one of Seldon's test stubs and has no equivalent here; give the unit a real model`);
  } else {
    if (implementation !== undefined && !PREPACKAGED.has(implementation)) {
      notes.push(`${path}.implementation: ${implementation} is not one Switchyard knows; "${unitName}" is called as a remote server like any other unit`);
    }
    const type = declared ?? (implementation !== undefined ? 'MODEL' : undefined);
    if (type === undefined) problems.push(`${path}.type: a unit without an implementation needs its type`);
    const endpoint = isRecord(unit.endpoint) ? unit.endpoint : {};
    const host = typeof endpoint.service_host === 'string' && endpoint.service_host !== '' ? endpoint.service_host : `${context.deployment}-${context.predictor}-${unitName}.${context.namespace}.svc.cluster.local`;
    const grpc = (typeof endpoint.type === 'string' ? endpoint.type.toUpperCase() : context.transport) === 'GRPC';
    const declaredPort = grpc ? (typeof endpoint.grpcPort === 'number' ? endpoint.grpcPort : endpoint.service_port) : (typeof endpoint.service_port === 'number' ? endpoint.service_port : endpoint.httpPort);
    const port = typeof declaredPort === 'number' ? declaredPort : grpc ? UNIT_GRPC_PORT : UNIT_HTTP_PORT;
    const url = `http://${host}:${port}`;
    if (typeof endpoint.service_host !== 'string') notes.push(`${unitName}: remote at ${url}, Seldon Core 1.x's Service name for the unit; check it with kubectl get svc -n ${context.namespace}`);
    if (grpc) notes.push(`${unitName}: called over gRPC (${context.protocol === 'v2' ? 'inference.GRPCInferenceService/ModelInfer' : 'seldon.protos.Model, Router, …'}), as its endpoint says, on port ${port}${typeof declaredPort === 'number' ? '' : ' (Seldon Core 1.x\'s default)'}`);
    if (context.protocol === 'v2' && type !== undefined && type !== 'MODEL') {
      problems.push(`${path}.type: a ${type} under the v2 protocol has no Open Inference Protocol path to call; only MODEL units can be remote v2 nodes`);
    }
    Object.assign(node, {
      type: type ?? 'MODEL',
      remote: context.protocol === 'v2' ? { url, protocol: grpc ? 'grpc-v2' : 'v2', model: unitName } : grpc ? { url, protocol: 'seldon-grpc' } : { url },
    });
    if (typeof unit.modelUri === 'string') notes.push(`${unitName}: its model (${unit.modelUri}) stays where the server loads it from`);
    if (Array.isArray(unit.methods) && unit.methods.length > 0) {
      notes.push(`${unitName}.methods: ${unit.methods.map(String).join(', ')} are not called here: the node makes its type's calls only (${type ?? 'MODEL'}); to have one unit also ${unit.methods.map(String).filter((m) => m !== 'PREDICT').map((m) => m.toLowerCase().replace(/_/g, '-')).join(', ') || 'predict'}, add a node of that type calling the same url`);
    }
    if (parameters.length > 0) notes.push(`${unitName}: its parameters (${parameters.map((p) => String(p.name)).join(', ')}) stay with the server, which reads them at start`);
  }
  if (logger !== undefined) {
    if (typeof logger.url === 'string') node.logger = { url: logger.url, ...(typeof logger.mode === 'string' ? { mode: logger.mode } : {}) };
    else notes.push(`${unitName}.logger: Seldon sends to the namespace's Knative broker when no url is given; set logger.url (e.g. http://broker-ingress.knative-eventing.svc.cluster.local/${context.namespace}/default)`);
  }
  return node;
}

function uniqueName(base: string, taken: Record<string, unknown>): string {
  let name = base;
  for (let i = 2; name in taken; i++) name = `${base}-${i}`;
  return name;
}
