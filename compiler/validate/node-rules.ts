/**
 * @module Rules about one node that span several of its fields: its name, exactly one implementation that fits
 * its type, what built-in routers and combiners may carry, router parameters, device counts.
 * They read the raw data defensively, so they run (and report) even where the schema found problems.
 */
import {
  IMPLEMENTATION_KEYS,
  MAX_LABEL_LENGTH,
  NODE_TYPE_VALUES,
  RESERVED_NODE_NAMES,
  ROUTER_PARAMETER_SCHEMAS,
  ROUTER_VALUES,
  fieldLabel,
  nodeNameProblem,
  specIssue,
  suggestNodeName,
} from '../spec/index.ts';
import type { IssuePath, NodeTypeName, RouterName, SpecIssue } from '../spec/index.ts';
import { asString, at, isRecord, rawChildren, rawNodes } from './_raw.ts';
import type { RawRecord } from './_raw.ts';
import { fromZodIssues } from './from-zod.ts';
import { didYouMean } from './suggest.ts';

const HOW_TO_IMPLEMENT: Record<NodeTypeName, string> = {
  MODEL: 'add `onnx: {path: ./model.onnx}`, `component: ./my-model.ts` or `remote: {url: http://…}`',
  TRANSFORMER: 'add `component: ./my-transformer.ts` (a module exporting transformInput)',
  OUTPUT_TRANSFORMER: 'add `component: ./my-output-transformer.ts` (a module exporting transformOutput)',
  ROUTER: `add \`router: epsilon-greedy\` (or ${ROUTER_VALUES.slice(1).join(', ')}) or \`component: ./my-router.ts\``,
  COMBINER: 'add `combiner: mean` (or concat) or `component: ./my-combiner.ts`',
};

/** The node type, when it is a valid one. */
export function nodeType(node: RawRecord): NodeTypeName | undefined {
  const type = node.type;
  return (NODE_TYPE_VALUES as readonly unknown[]).includes(type) ? (type as NodeTypeName) : undefined;
}

function checkName(name: string, graphName: string | undefined, base: IssuePath): SpecIssue[] {
  const problem = nodeNameProblem(name);
  if (problem !== undefined) {
    return [specIssue('invalid_node_name', base, `${fieldLabel(base)}: the node name ${problem}`, `rename the node, e.g. ${suggestNodeName(name)}`, name)];
  }
  if (RESERVED_NODE_NAMES.includes(name)) {
    return [specIssue('reserved_node_name', base, `${fieldLabel(base)}: "${name}" is the name of the function that walks the graph`, `rename the node, e.g. ${name}-node`, name)];
  }
  if (graphName !== undefined && graphName.length + 1 + name.length > MAX_LABEL_LENGTH) {
    const service = `${graphName}-${name}`;
    return [
      specIssue('name_too_long', base, `${fieldLabel(base)}: the function name "${service}" is ${service.length} characters; Kubernetes allows ${MAX_LABEL_LENGTH}`,
        `shorten the node name to at most ${MAX_LABEL_LENGTH - graphName.length - 1} characters`, name),
    ];
  }
  return [];
}

function checkImplementation(node: RawRecord, type: NodeTypeName | undefined, base: IssuePath): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const present = Object.keys(node).filter((key) => (IMPLEMENTATION_KEYS as readonly string[]).includes(key) && node[key] !== undefined);
  if (present.length === 0) {
    issues.push(specIssue('implementation_missing', base, `${fieldLabel(base)}: the node has no implementation`,
      type ? HOW_TO_IMPLEMENT[type] : 'add one of onnx, component, router, combiner or remote'));
  }
  for (const key of present.slice(1)) {
    const path = [...base, key];
    issues.push(specIssue('implementation_conflict', path, `${fieldLabel(path)}: the node already has \`${present[0]}\`; a node has exactly one implementation`,
      `keep one of ${present.join(', ')}`));
  }
  if (type === undefined) return issues;
  const remoteProtocol = at(node, 'remote', 'protocol');
  if (present.includes('remote') && typeof remoteProtocol === 'string' && remoteProtocol !== 'seldon' && remoteProtocol !== 'seldon-grpc' && type !== 'MODEL') {
    const path = [...base, 'remote', 'protocol'];
    const server = remoteProtocol === 'v2' || remoteProtocol === 'grpc-v2' ? 'an Open Inference Protocol server' : remoteProtocol === 'kserve-v1' ? 'a KServe V1 predictor' : 'a whole graph (its /api/v1.0/predictions)';
    issues.push(specIssue('implementation_type_mismatch', path, `${fieldLabel(path)}: ${server} only predicts, and this node is a ${type}`,
      'set `type: MODEL`, or call a Seldon microservice with `protocol: seldon` (or `seldon-grpc`), which serves every node type'));
  }
  const fits: Record<string, NodeTypeName[]> = { router: ['ROUTER'], combiner: ['COMBINER'], onnx: ['MODEL'] };
  for (const key of present) {
    const allowed = fits[key];
    if (allowed === undefined || allowed.includes(type)) continue;
    const path = [...base, key];
    const why = key === 'onnx' ? 'an ONNX model only predicts' : `\`${key}\` is for ${allowed[0]} nodes`;
    issues.push(specIssue('implementation_type_mismatch', path, `${fieldLabel(path)}: ${why}, and this node is a ${type}`,
      key === 'onnx' ? `set \`type: MODEL\`, or implement the ${type} with \`component:\`` : `set \`type: ${allowed[0]}\`, or ${HOW_TO_IMPLEMENT[type].replace(/^add/, 'use')}`));
  }
  return issues;
}

function checkBuiltin(node: RawRecord, base: IssuePath): SpecIssue[] {
  if (node.remote !== undefined && node.component === undefined && node.onnx === undefined) return checkRemote(node, base);
  const builtin = node.router !== undefined && node.component === undefined ? 'router' : node.combiner !== undefined && node.component === undefined ? 'combiner' : undefined;
  if (builtin === undefined) return [];
  return (['device', 'scaling', 'resources', 'canary'] as const).flatMap((key) => {
    if (node[key] === undefined) return [];
    const path = [...base, key];
    return [
      specIssue('not_allowed_on_builtin', path, `${fieldLabel(path)}: built-in ${builtin}s run inside the orchestrator function, which has its own ${key}`,
        key === 'device' ? 'remove it (the orchestrator runs on the CPU)' : `remove it; set spec.orchestrator.${key} instead`),
    ];
  });
}

/** A remote node runs on its own server: Switchyard neither places nor scales it. */
function checkRemote(node: RawRecord, base: IssuePath): SpecIssue[] {
  return (['device', 'scaling', 'resources', 'canary'] as const).flatMap((key) => {
    if (node[key] === undefined) return [];
    const path = [...base, key];
    return [
      specIssue('not_allowed_on_remote', path, `${fieldLabel(path)}: a remote node runs on its own server, which Switchyard neither places nor scales`,
        `remove it; set the ${key} where that server is deployed`),
    ];
  });
}

function checkParameters(node: RawRecord, base: IssuePath): SpecIssue[] {
  const parameters = node.parameters;
  const router = asString(node.router);
  const path = [...base, 'parameters'];
  if (node.component !== undefined) return [];
  if (router !== undefined && (ROUTER_VALUES as readonly string[]).includes(router)) {
    const schema = ROUTER_PARAMETER_SCHEMAS[router as RouterName];
    const issues: SpecIssue[] = [];
    if (parameters === undefined || isRecord(parameters)) {
      const result = schema.safeParse(parameters ?? {}, { reportInput: true });
      if (!result.success) issues.push(...fromZodIssues(result.error.issues, schema, path));
    }
    const weights = at(parameters, 'weights');
    const children = node.children;
    if (router === 'weighted-split' && Array.isArray(weights) && Array.isArray(children) && weights.length !== children.length) {
      const weightsPath = [...path, 'weights'];
      issues.push(specIssue('weights_mismatch', weightsPath, `${fieldLabel(weightsPath)}: ${weights.length} weight${weights.length === 1 ? '' : 's'} for ${children.length} children`,
        `give one weight per child, in the order of children (${children.length} numbers)`, weights));
    }
    if (router === 'switch' && Array.isArray(children)) issues.push(...checkSwitchChildren(parameters, children, path));
    return issues;
  }
  if (parameters !== undefined && (node.onnx !== undefined || node.combiner !== undefined || node.remote !== undefined)) {
    const what = node.onnx !== undefined ? 'ONNX model nodes take no parameters' : node.remote !== undefined ? 'remote nodes take no parameters' : 'built-in combiners take no parameters';
    return [specIssue('parameters_not_allowed', path, `${fieldLabel(path)}: ${what}`,
      node.onnx !== undefined ? 'remove them; onnxruntime settings go under onnx.session' : node.remote !== undefined ? 'remove them; the remote server has its own settings' : 'remove them')];
  }
  return [];
}

/** A switch router's cases and default name its children: each name must be one of them. */
function checkSwitchChildren(parameters: unknown, children: unknown[], path: IssuePath): SpecIssue[] {
  const names = children.filter((c): c is string => typeof c === 'string');
  const refs: Array<{ at: IssuePath; value: unknown }> = [];
  const cases = at(parameters, 'cases');
  if (Array.isArray(cases)) cases.forEach((c, i) => refs.push({ at: [...path, 'cases', i, 'child'], value: at(c, 'child') }));
  const fallback = at(parameters, 'default');
  if (fallback !== undefined) refs.push({ at: [...path, 'default'], value: fallback });
  return refs
    .filter((ref) => typeof ref.value === 'string' && !names.includes(ref.value))
    .map((ref) =>
      specIssue('unknown_child', ref.at, `${fieldLabel(ref.at)}: "${String(ref.value)}" is not one of this router's children`,
        `${didYouMean(String(ref.value), names)}write one of: ${names.join(', ')}`, ref.value),
    );
}

function checkDevice(node: RawRecord, base: IssuePath): SpecIssue[] {
  const kind = asString(at(node, 'device', 'kind'));
  const count = at(node, 'device', 'count');
  if (kind === undefined || typeof count !== 'number') return [];
  const path = [...base, 'device', 'count'];
  if (kind === 'cpu' && count !== 0) {
    return [specIssue('invalid_device_count', path, `${fieldLabel(path)}: count is the number of GPUs; a cpu function has none`, 'remove count (set resources.cpu for CPU cores)', count)];
  }
  if (kind !== 'cpu' && count === 0) {
    return [specIssue('invalid_device_count', path, `${fieldLabel(path)}: a ${kind} function needs at least one device`, 'write count: 1, or use device: cpu', count)];
  }
  return [];
}

/** Every per-node rule, over every node of the raw data. */
export function checkNodes(data: unknown): SpecIssue[] {
  const graphName = asString(at(data, 'metadata', 'name'));
  return rawNodes(data).flatMap(([name, node]) => {
    const base = ['spec', 'nodes', name];
    const type = nodeType(node);
    const issues = [
      ...checkName(name, graphName, base),
      ...checkImplementation(node, type, base),
      ...checkBuiltin(node, base),
      ...checkParameters(node, base),
      ...checkDevice(node, base),
    ];
    if ((type === 'ROUTER' || type === 'COMBINER') && rawChildren(node).length === 0 && !(Array.isArray(node.children) && node.children.length > 0)) {
      const path = [...base, 'children'];
      issues.push(specIssue('children_required', path, `${fieldLabel(path)}: a ${type} needs at least one child`,
        type === 'ROUTER' ? 'list the nodes it routes between, e.g. children: [model-a, model-b]' : 'list the nodes whose outputs it combines, e.g. children: [model-a, model-b]'));
    }
    return issues;
  });
}
