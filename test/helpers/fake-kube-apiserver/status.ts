/**
 * @module The `Status` objects (meta/v1) that a real kube-apiserver answers errors with, with the same codes,
 * reasons, messages and details, so that a client's error handling meets what it meets on a cluster.
 */
import type { ResourceType } from './resources.ts';

export interface StatusCause {
  type?: string;
  reason?: string;
  message: string;
  field?: string;
}

export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: { name?: string; group?: string; kind?: string; uid?: string; causes?: StatusCause[] };
  code: number;
}

/** An error that the server turns into its Status response. */
export class ApiStatusError extends Error {
  readonly status: StatusBody;
  constructor(status: StatusBody) {
    super(status.message ?? `HTTP ${status.code}`);
    this.status = status;
  }
}

function failure(code: number, reason: string | undefined, message: string, details?: StatusBody['details']): ApiStatusError {
  return new ApiStatusError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    ...(reason === undefined ? {} : { reason }),
    ...(details === undefined ? {} : { details }),
    code,
  });
}

/** `configmaps` or `services.serving.knative.dev`: how the apiserver names a resource in messages. */
export function qualifiedResource(type: ResourceType): string {
  return type.group === '' ? type.plural : `${type.plural}.${type.group}`;
}

export function notFound(type: ResourceType, name: string): ApiStatusError {
  return failure(404, 'NotFound', `${qualifiedResource(type)} "${name}" not found`, { name, group: type.group, kind: type.plural });
}

export function namespaceNotFound(namespace: string): ApiStatusError {
  return failure(404, 'NotFound', `namespaces "${namespace}" not found`, { name: namespace, kind: 'namespaces' });
}

export function alreadyExists(type: ResourceType, name: string): ApiStatusError {
  return failure(409, 'AlreadyExists', `${qualifiedResource(type)} "${name}" already exists`, { name, group: type.group, kind: type.plural });
}

export function forbidden(user: string, verb: string, type: ResourceType, namespace: string | undefined, name: string | undefined): ApiStatusError {
  const subject = name === undefined ? qualifiedResource(type) : `${qualifiedResource(type)} "${name}"`;
  const scope = namespace === undefined ? 'at the cluster scope' : `in the namespace "${namespace}"`;
  return failure(403, 'Forbidden', `${subject} is forbidden: User "${user}" cannot ${verb} resource "${type.plural}" in API group "${type.group}" ${scope}`, {
    ...(name === undefined ? {} : { name }),
    group: type.group,
    kind: type.plural,
  });
}

export function unauthorized(): ApiStatusError {
  return failure(401, 'Unauthorized', 'Unauthorized');
}

/** Server-side apply found fields owned by other managers with other values (and the apply did not force). */
export function applyConflict(conflicts: Array<{ manager: string; field: string }>, apiVersion: string): ApiStatusError {
  const causes = conflicts.map((c) => ({ type: 'FieldManagerConflict', message: `conflict with "${c.manager}" using ${apiVersion}`, field: c.field }));
  const listed = conflicts.map((c) => `conflict with "${c.manager}" using ${apiVersion}: ${c.field}`);
  const message =
    conflicts.length === 1
      ? `Apply failed with 1 conflict: ${listed[0]}`
      : `Apply failed with ${conflicts.length} conflicts: ${listed.join('\n')}`;
  return failure(409, 'Conflict', message, { causes });
}

/** Field values that fail validation (e.g. a quantity that does not match its pattern). */
export function invalid(type: ResourceType, name: string, causes: Array<{ field: string; message: string }>): ApiStatusError {
  const summary = causes.map((c) => `${c.field}: ${c.message}`);
  const message = `${type.kind}${type.group === '' ? '' : `.${type.group}`} "${name}" is invalid: ${summary.length === 1 ? summary[0] : `[${summary.join(', ')}]`}`;
  return failure(422, 'Invalid', message, {
    name,
    group: type.group,
    kind: type.kind,
    causes: causes.map((c) => ({ reason: 'FieldValueInvalid', message: c.message, field: c.field })),
  });
}

/**
 * What the apiserver answers when a server-side apply body does not fit the schema (unknown field, wrong type):
 * HTTP 500 "failed to create typed patch object" with no reason, a long-standing upstream bug (DESIGN.md).
 */
export function typedPatchFailure(namespace: string | undefined, name: string, apiVersion: string, kind: string, problems: string[]): ApiStatusError {
  const where = namespace === undefined ? name : `${namespace}/${name}`;
  return failure(500, undefined, `failed to create typed patch object (${where}; ${apiVersion}, Kind=${kind}): ${problems.join('\n')}`);
}

export function badRequest(message: string): ApiStatusError {
  return failure(400, 'BadRequest', message);
}

export function unsupportedMediaType(contentType: string): ApiStatusError {
  return failure(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml (received "${contentType}")`);
}

export function methodNotAllowed(method: string): ApiStatusError {
  return failure(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource (${method})`);
}

export function success(type: ResourceType, name: string, uid: string): StatusBody {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name, group: type.group, kind: type.plural, uid }, code: 200 };
}
