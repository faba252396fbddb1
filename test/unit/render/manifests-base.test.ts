import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';

const BASE = path.resolve(import.meta.dirname, '..', '..', '..', 'manifests', 'base');

type Doc = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string }; [k: string]: any };

function docs(file: string): Doc[] {
  const parsed = parseAllDocuments(readFileSync(path.join(BASE, file), 'utf8'));
  if (!Array.isArray(parsed)) throw new Error(`${file} is empty`);
  for (const doc of parsed) expect(doc.errors).toEqual([]);
  return parsed.map((doc) => doc.toJS() as Doc);
}

describe('manifests/base', () => {
  const kustomization = parse(readFileSync(path.join(BASE, 'kustomization.yaml'), 'utf8')) as { resources: string[]; kind: string };
  const all = kustomization.resources.flatMap(docs);
  const find = (kind: string) => all.find((d) => d.kind === kind);

  it('lists every YAML file of the base in its kustomization', () => {
    expect(kustomization.kind).toBe('Kustomization');
    expect(all.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual([
      'Namespace/switchyard',
      'ServiceAccount/switchyard-deployer',
      'Role/switchyard-deployer',
      'RoleBinding/switchyard-deployer',
    ]);
    for (const d of all.filter((x) => x.kind !== 'Namespace')) expect(d.metadata.namespace).toBe('switchyard');
  });

  it('binds the deployer ServiceAccount to the deployer Role', () => {
    expect(find('RoleBinding')?.['roleRef']).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'switchyard-deployer' });
    expect(find('RoleBinding')?.['subjects']).toEqual([{ kind: 'ServiceAccount', name: 'switchyard-deployer', namespace: 'switchyard' }]);
  });

  it('grants only what deploy, status and delete need: no wildcards, no update, no reading every secret', () => {
    const rules = find('Role')?.['rules'] as Array<{ apiGroups: string[]; resources: string[]; verbs: string[] }>;
    const grants = rules.flatMap((r) => r.apiGroups.flatMap((g) => r.resources.map((res) => [`${g || 'core'}/${res}`, [...r.verbs].sort().join(',')])));
    expect(Object.fromEntries(grants)).toEqual({
      'serving.knative.dev/services': 'create,delete,get,list,patch,watch',
      'serving.knative.dev/revisions': 'get,list,watch',
      'serving.knative.dev/routes': 'get,list,watch',
      'serving.knative.dev/configurations': 'get,list,watch',
      'core/configmaps': 'create,delete,get,list,patch',
      'core/secrets': 'create,delete,get,patch',
    });
    expect(JSON.stringify(rules)).not.toContain('*');
  });
});
