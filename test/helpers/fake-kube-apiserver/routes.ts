/**
 * @module How the fake apiserver reads a request path, as the real one lays out its REST paths:
 *
 *   /api, /api/v1, /apis, /apis/<group>, /apis/<group>/<version>                    discovery
 *   /api/v1/[namespaces/<ns>/]<plural>[/<name>[/<subresource>]]                     core resources
 *   /apis/<group>/<version>/[namespaces/<ns>/]<plural>[/<name>[/<subresource>]]     other groups
 */

export type Route =
  | { kind: 'discovery-core' }
  | { kind: 'discovery-groups' }
  | { kind: 'discovery-group'; group: string }
  | { kind: 'discovery-resources'; group: string; version: string }
  | { kind: 'version' }
  | { kind: 'resource'; group: string; version: string; plural: string; namespace?: string; name?: string; subresource?: string }
  | { kind: 'unknown' };

export function parseRoute(pathname: string): Route {
  const parts = pathname.split('/').filter((p) => p !== '').map(decodeURIComponent);
  if (parts.length === 1 && parts[0] === 'version') return { kind: 'version' };
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api') {
    if (parts.length === 1) return { kind: 'discovery-core' };
    group = '';
    version = parts[1]!;
    rest = parts.slice(2);
  } else if (parts[0] === 'apis') {
    if (parts.length === 1) return { kind: 'discovery-groups' };
    if (parts.length === 2) return { kind: 'discovery-group', group: parts[1]! };
    group = parts[1]!;
    version = parts[2]!;
    rest = parts.slice(3);
  } else {
    return { kind: 'unknown' };
  }
  if (rest.length === 0) return { kind: 'discovery-resources', group, version };
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    return {
      kind: 'resource',
      group,
      version,
      namespace: rest[1]!,
      plural: rest[2]!,
      ...(rest[3] === undefined ? {} : { name: rest[3] }),
      ...(rest[4] === undefined ? {} : { subresource: rest[4] }),
    };
  }
  return {
    kind: 'resource',
    group,
    version,
    plural: rest[0]!,
    ...(rest[1] === undefined ? {} : { name: rest[1] }),
    ...(rest[2] === undefined ? {} : { subresource: rest[2] }),
  };
}

/** The RBAC verb of a request: get, list, watch, create, update, patch or delete. */
export function verbOf(method: string, hasName: boolean, watch: boolean): string {
  switch (method) {
    case 'GET':
      return watch ? 'watch' : hasName ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return hasName ? 'delete' : 'deletecollection';
    default:
      return method.toLowerCase();
  }
}
