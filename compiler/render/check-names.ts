/**
 * @module Checks of the names a graph gives its Kubernetes objects: namespace, Service names, labels.
 */
import type { DeploymentPlan } from '../../runtime/plan/types.ts';
import { error, type RenderIssue } from './issue.ts';
import { serviceName } from './names.ts';

/** Knative Service names must be DNS-1035 labels: they become host names. */
export const DNS_LABEL_MAX_LENGTH = 63;

const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Adds an issue for each name that Kubernetes or Knative would refuse. */
export function checkNames(plan: DeploymentPlan, issues: RenderIssue[]): void {
  if (!DNS_1123_LABEL.test(plan.namespace) || plan.namespace.length > DNS_LABEL_MAX_LENGTH) {
    issues.push(
      error(
        'invalid_namespace',
        'namespace',
        plan.namespace,
        `namespace "${plan.namespace}" is not a DNS label`,
        'use lower-case letters, digits and "-", at most 63 characters, e.g. "switchyard"',
      ),
    );
  }
  for (const name of Object.keys(plan.functions)) {
    const service = serviceName(plan.graph, name);
    if (!DNS_1035_LABEL.test(service) || service.length > DNS_LABEL_MAX_LENGTH) {
      issues.push(
        error(
          'invalid_service_name',
          `functions.${name}`,
          service,
          `Knative Service name "${service}" (<graph>-<function>) is not a DNS-1035 label`,
          'name the graph and its nodes with lower-case letters, digits and "-", starting with a letter, so that "<graph>-<function>" stays within 63 characters',
        ),
      );
    }
  }
  for (const [key, value] of Object.entries(plan.labels)) {
    const slash = key.lastIndexOf('/');
    const prefix = slash === -1 ? '' : key.slice(0, slash);
    const name = key.slice(slash + 1);
    const keyOk =
      LABEL_NAME.test(name) && name.length <= 63 && (prefix === '' || (DNS_1123_SUBDOMAIN.test(prefix) && prefix.length <= 253));
    if (!keyOk) {
      issues.push(
        error(
          'invalid_label_key',
          `labels.${key}`,
          key,
          `label key "${key}" is not a Kubernetes label key`,
          'write [prefix/]name with name of letters, digits, "-", "_" and ".", at most 63 characters',
        ),
      );
    }
    if (value !== '' && (!LABEL_NAME.test(value) || value.length > 63)) {
      issues.push(
        error(
          'invalid_label_value',
          `labels.${key}`,
          value,
          `label value "${value}" is not a Kubernetes label value`,
          'use letters, digits, "-", "_" and ".", starting and ending with a letter or digit, at most 63 characters',
        ),
      );
    }
  }
}
