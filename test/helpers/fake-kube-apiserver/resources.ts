/**
 * @module The resource types the fake apiserver serves, and its discovery documents (`/api`, `/api/v1`, `/apis`,
 * `/apis/<group>/<version>`), shaped as a real apiserver shapes them.
 *
 * Core v1: namespaces, configmaps, secrets. Knative Serving v1 (only when the fake has Knative "installed"):
 * services, configurations, revisions, routes, each with a `/status` subresource.
 */

export interface ResourceType {
  /** '' for the core group. */
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  /** Whether writes to the spec bump `metadata.generation` (custom resources and most built-ins with a spec). */
  generation: boolean;
  /** Whether `/status` is a subresource (status is then not writable through the main resource). */
  statusSubresource: boolean;
}

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export const KNATIVE_GROUP = 'serving.knative.dev';

const CORE: ResourceType[] = [
  { group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', singular: 'namespace', namespaced: false, shortNames: ['ns'], generation: false, statusSubresource: true },
  { group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', singular: 'configmap', namespaced: true, shortNames: ['cm'], generation: false, statusSubresource: false },
  { group: '', version: 'v1', kind: 'Secret', plural: 'secrets', singular: 'secret', namespaced: true, shortNames: [], generation: false, statusSubresource: false },
];

const KNATIVE: ResourceType[] = [
  { kind: 'Service', plural: 'services', singular: 'service', shortNames: ['kservice', 'ksvc'] },
  { kind: 'Configuration', plural: 'configurations', singular: 'configuration', shortNames: ['config', 'cfg'] },
  { kind: 'Revision', plural: 'revisions', singular: 'revision', shortNames: ['rev'] },
  { kind: 'Route', plural: 'routes', singular: 'route', shortNames: ['rt'] },
].map((r) => ({ ...r, group: KNATIVE_GROUP, version: 'v1', namespaced: true, generation: true, statusSubresource: true }));

export class ResourceRegistry {
  readonly types: ResourceType[];

  constructor(options: { knative: boolean }) {
    this.types = options.knative ? [...CORE, ...KNATIVE] : [...CORE];
  }

  byPlural(group: string, version: string, plural: string): ResourceType | undefined {
    return this.types.find((t) => t.group === group && t.version === version && t.plural === plural);
  }

  byKind(apiVersion: string, kind: string): ResourceType | undefined {
    return this.types.find((t) => apiVersionOf(t) === apiVersion && t.kind === kind);
  }

  groups(): string[] {
    return [...new Set(this.types.map((t) => t.group).filter((g) => g !== ''))];
  }

  /** `GET /api`. */
  coreVersions(serverAddress: string): unknown {
    return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
  }

  /** `GET /apis`. */
  groupList(): unknown {
    return { kind: 'APIGroupList', apiVersion: 'v1', groups: this.groups().map((g) => this.group(g)) };
  }

  /** `GET /apis/<group>`. */
  group(name: string): unknown {
    const version = { groupVersion: `${name}/v1`, version: 'v1' };
    return { kind: 'APIGroup', apiVersion: 'v1', name, versions: [version], preferredVersion: version };
  }

  /** `GET /api/v1` or `GET /apis/<group>/<version>`, or undefined when the group version is not served. */
  resourceList(group: string, version: string): unknown {
    const types = this.types.filter((t) => t.group === group && t.version === version);
    if (types.length === 0) return undefined;
    const resources = types.flatMap((t) => [
      { name: t.plural, singularName: t.singular, namespaced: t.namespaced, kind: t.kind, verbs: VERBS, ...(t.shortNames.length > 0 ? { shortNames: t.shortNames } : {}), ...(group === KNATIVE_GROUP ? { categories: ['all', 'knative', 'serving'] } : {}) },
      ...(t.statusSubresource ? [{ name: `${t.plural}/status`, singularName: '', namespaced: t.namespaced, kind: t.kind, verbs: ['get', 'patch', 'update'] }] : []),
    ]);
    return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group === '' ? version : `${group}/${version}`, resources };
  }
}

export function apiVersionOf(type: ResourceType): string {
  return type.group === '' ? type.version : `${type.group}/${type.version}`;
}
