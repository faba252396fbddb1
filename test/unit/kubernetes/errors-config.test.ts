/**
 * How apiserver answers become messages that say what to do (explainApiError), finding the kubeconfig and
 * context, and that the deployer's label names agree with the compiler's (run time cannot import them).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { GRAPH_LABEL as PLAN_GRAPH_LABEL, PART_OF_LABEL as PLAN_PART_OF } from '../../../compiler/plan/index.ts';
import { FUNCTION_LABEL as RENDER_FUNCTION_LABEL } from '../../../compiler/render/index.ts';
import {
  explainApiError,
  formatDeployEvent,
  FUNCTION_LABEL,
  GRAPH_LABEL,
  KubeDeployError,
  loadKubeConfig,
  PART_OF_LABEL,
  ORCHESTRATOR_FUNCTION,
} from '../../../runtime/engine/kubernetes/index.ts';
import { ORCHESTRATOR_FUNCTION as PLAN_ORCHESTRATOR } from '../../../runtime/plan/types.ts';

const cluster = { server: 'https://10.0.0.1:6443', context: 'prod' };
const apiError = (code: number, body: unknown) => Object.assign(new Error(`HTTP-Code: ${code}`), { code, body });
const status = (code: number, reason: string | undefined, message: string, extra: Record<string, unknown> = {}) =>
  apiError(code, { kind: 'Status', apiVersion: 'v1', status: 'Failure', message, code, ...(reason ? { reason } : {}), ...extra });

describe('explainApiError', () => {
  const patch = { verb: 'patch', resource: 'services.serving.knative.dev', namespace: 'ml', name: 'g-a', object: 'Service ml/g-a' };

  it.each([
    { name: '401', error: status(401, 'Unauthorized', 'Unauthorized'), code: 'unauthorized', message: 'the cluster at https://10.0.0.1:6443 refused the credentials of context "prod" (401 Unauthorized)' },
    { name: '403', error: status(403, 'Forbidden', 'services.serving.knative.dev "g-a" is forbidden: User "u" cannot create resource "services" in API group "serving.knative.dev" in the namespace "ml"'), code: 'forbidden', message: 'not allowed to create services.serving.knative.dev in namespace "ml": services.serving.knative.dev "g-a" is forbidden: User "u" cannot create resource "services" in API group "serving.knative.dev" in the namespace "ml"' },
    { name: '404 page not found', error: apiError(404, '404 page not found\n'), code: 'knative_missing', message: 'the cluster does not serve services.serving.knative.dev (404 page not found)' },
    { name: '404 namespace', error: status(404, 'NotFound', 'namespaces "ml" not found'), code: 'namespace_missing', message: 'namespace "ml" does not exist (namespaces "ml" not found)' },
    { name: '409', error: status(409, 'Conflict', 'Apply failed with 1 conflict: conflict with "kubectl" using serving.knative.dev/v1: .spec.traffic'), code: 'conflict', message: 'Service ml/g-a: Apply failed with 1 conflict: conflict with "kubectl" using serving.knative.dev/v1: .spec.traffic' },
    { name: '422', error: status(422, 'Invalid', 'Service "g-a" is invalid', { details: { causes: [{ field: 'spec.x', message: 'Invalid value: "y"' }] } }), code: 'manifest_rejected', message: 'the cluster rejected the manifest of Service ml/g-a: spec.x: Invalid value: "y"' },
    { name: '500 typed patch', error: status(500, undefined, 'failed to create typed patch object (ml/g-a; serving.knative.dev/v1, Kind=Service): .spec.foo: field not declared in schema'), code: 'manifest_rejected', message: 'the cluster rejected the manifest of Service ml/g-a: it does not fit the services.serving.knative.dev schema the cluster has: .spec.foo: field not declared in schema' },
    { name: '500 other', error: status(500, 'InternalError', 'etcdserver: request timed out'), code: 'api_error', message: 'patch Service ml/g-a in namespace "ml" failed: HTTP 500: etcdserver: request timed out' },
    { name: 'connection refused', error: Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:6443'), { code: 'ECONNREFUSED' }) }), code: 'unreachable', message: 'cannot reach the cluster at https://10.0.0.1:6443 (context "prod"): ECONNREFUSED (connect ECONNREFUSED 10.0.0.1:6443)' },
    { name: 'failed watch (statusCode, no body)', error: Object.assign(new Error('Forbidden'), { statusCode: 403 }), code: 'forbidden', message: 'not allowed to patch services.serving.knative.dev in namespace "ml": HTTP 403' },
  ])('$name → $code', ({ error, code, message }) => {
    const explained = explainApiError(error, patch, cluster);
    expect(explained).toBeInstanceOf(KubeDeployError);
    expect({ code: explained.code, message: explained.message }).toEqual({ code, message });
  });

  it('points RBAC failures at the deployer\'s RBAC manifest', () => {
    expect(explainApiError(status(403, 'Forbidden', 'no'), patch, cluster).hint).toContain('manifests/base/deployer-rbac.yaml');
  });
});

describe('loadKubeConfig', () => {
  let dir: string;
  let file: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-kubeconfig-'));
    file = path.join(dir, 'config');
    const cluster = (name: string, server: string) => ({ name, cluster: { server, 'insecure-skip-tls-verify': true } });
    await writeFile(file, stringify({
      apiVersion: 'v1', kind: 'Config',
      clusters: [cluster('a', 'https://a.example:6443'), cluster('b', 'https://b.example:6443')],
      users: [{ name: 'u', user: { token: 't' } }],
      contexts: [{ name: 'ctx-a', context: { cluster: 'a', user: 'u' } }, { name: 'ctx-b', context: { cluster: 'b', user: 'u' } }],
      'current-context': 'ctx-a',
    }));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('uses --kubeconfig, else $KUBECONFIG, else ~/.kube/config; --context picks the context', () => {
    expect(loadKubeConfig({ kubeconfig: file, env: {} })).toMatchObject({ context: 'ctx-a', server: 'https://a.example:6443' });
    expect(loadKubeConfig({ env: { KUBECONFIG: `${path.join(dir, 'missing')}${path.delimiter}${file}` }, context: 'ctx-b' })).toMatchObject({ context: 'ctx-b', server: 'https://b.example:6443' });
  });

  it('says what to do when there is none, or the context is not in it', () => {
    const none = (() => { try { loadKubeConfig({ env: { HOME: dir } }); } catch (e) { return e as KubeDeployError; } return undefined; })();
    expect(none?.code).toBe('no_kubeconfig');
    const envMissing = (() => { try { loadKubeConfig({ env: { KUBECONFIG: path.join(dir, 'nope') } }); } catch (e) { return e as KubeDeployError; } return undefined; })();
    expect(envMissing?.message).toBe(`none of the kubeconfig files in $KUBECONFIG exists (${path.join(dir, 'nope')})`);
    const context = (() => { try { loadKubeConfig({ kubeconfig: file, env: {}, context: 'prod' }); } catch (e) { return e as KubeDeployError; } return undefined; })();
    expect({ code: context?.code, hint: context?.hint }).toEqual({ code: 'unknown_context', hint: 'use one of: ctx-a, ctx-b' });
  });
});

describe('the deployer and the compiler agree', () => {
  it('on the label names and the orchestrator\'s function name', () => {
    expect(GRAPH_LABEL).toBe(PLAN_GRAPH_LABEL);
    expect(PART_OF_LABEL).toBe(PLAN_PART_OF);
    expect(FUNCTION_LABEL).toBe(RENDER_FUNCTION_LABEL);
    expect(ORCHESTRATOR_FUNCTION).toBe(PLAN_ORCHESTRATOR);
  });
});

describe('formatDeployEvent', () => {
  const ref = { apiVersion: 'v1', kind: 'Secret', namespace: 'ml', name: 'g-state' };
  it('shows changed fields of a Secret but never a value, and lines Service states up', () => {
    expect(formatDeployEvent({ type: 'applied', ref, outcome: 'configured', changes: ['data.state'], dryRun: true })).toBe('  would configure Secret g-state  (data.state)  (value not shown)');
    expect(formatDeployEvent({ type: 'service', name: 'g-a', state: 'pending', reason: 'RevisionMissing', message: 'waiting', elapsedMs: 1500 })).toBe(
      '      2s  g-a                       pending  RevisionMissing: waiting',
    );
    expect(formatDeployEvent({ type: 'pruned', ref: { ...ref, kind: 'ConfigMap', name: 'g-b-bundle' }, dryRun: false })).toBe('  deleted         ConfigMap g-b-bundle  (no longer in the graph)');
  });
});
