/**
 * @module Finding the kubeconfig and context to use, the way kubectl does, with an error that says what to do
 * when there is none: `--kubeconfig`, else `$KUBECONFIG` (a list of files, merged), else `~/.kube/config`, else
 * the in-cluster service account. `--context` picks a context; the kubeconfig's current one otherwise.
 *
 * The environment is a parameter (only entry points read `process.env`).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { KubeDeployError } from './errors.ts';

export interface KubeConfigOptions {
  kubeconfig?: string;
  context?: string;
  /** The environment to read KUBECONFIG, HOME and KUBERNETES_SERVICE_HOST from. */
  env: Record<string, string | undefined>;
}

export interface LoadedKubeConfig {
  kubeConfig: KubeConfig;
  /** Where it came from: a file list, or `in-cluster service account`. */
  source: string;
  context: string;
  server: string;
}

const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

const NO_KUBECONFIG_HINT =
  'point --kubeconfig at a kubeconfig file, set KUBECONFIG, or create ~/.kube/config (your cluster provider\'s CLI writes one, e.g. `kind create cluster` or `gcloud container clusters get-credentials`)';

function kubeconfigFiles(options: KubeConfigOptions): { files: string[]; inCluster: boolean } {
  if (options.kubeconfig !== undefined) {
    if (!existsSync(options.kubeconfig)) {
      throw new KubeDeployError('no_kubeconfig', `the kubeconfig file ${options.kubeconfig} (--kubeconfig) does not exist`, NO_KUBECONFIG_HINT);
    }
    return { files: [options.kubeconfig], inCluster: false };
  }
  const fromEnv = options.env['KUBECONFIG'];
  if (fromEnv !== undefined && fromEnv !== '') {
    const listed = fromEnv.split(path.delimiter).filter((f) => f !== '');
    const files = listed.filter((f) => existsSync(f));
    if (files.length === 0) {
      throw new KubeDeployError('no_kubeconfig', `none of the kubeconfig files in $KUBECONFIG exists (${listed.join(', ')})`, NO_KUBECONFIG_HINT);
    }
    return { files, inCluster: false };
  }
  const home = options.env['HOME'] ?? options.env['USERPROFILE'];
  if (home !== undefined && home !== '') {
    const file = path.join(home, '.kube', 'config');
    if (existsSync(file)) return { files: [file], inCluster: false };
  }
  if (options.env['KUBERNETES_SERVICE_HOST'] && existsSync(SERVICE_ACCOUNT_TOKEN)) return { files: [], inCluster: true };
  throw new KubeDeployError(
    'no_kubeconfig',
    'no kubeconfig found: --kubeconfig was not given, $KUBECONFIG is not set, ~/.kube/config does not exist, and this is not a pod with a service account',
    NO_KUBECONFIG_HINT,
  );
}

/** Loads the kubeconfig and selects the context. Throws a `KubeDeployError` saying what to do. */
export function loadKubeConfig(options: KubeConfigOptions): LoadedKubeConfig {
  const { files, inCluster } = kubeconfigFiles(options);
  const kubeConfig = new KubeConfig();
  try {
    if (inCluster) {
      kubeConfig.loadFromCluster();
    } else {
      kubeConfig.loadFromFile(files[0]!);
      for (const file of files.slice(1)) {
        const more = new KubeConfig();
        more.loadFromFile(file);
        kubeConfig.mergeConfig(more, true);
      }
    }
  } catch (error) {
    throw new KubeDeployError('bad_kubeconfig', `the kubeconfig ${files.join(', ')} could not be read: ${(error as Error).message}`, NO_KUBECONFIG_HINT);
  }
  const source = inCluster ? 'in-cluster service account' : files.join(path.delimiter);
  const contexts = kubeConfig.getContexts().map((c) => c.name);
  if (options.context !== undefined) {
    if (!contexts.includes(options.context)) {
      throw new KubeDeployError(
        'unknown_context',
        `the kubeconfig (${source}) has no context "${options.context}"`,
        contexts.length === 0 ? 'add one with kubectl config set-context' : `use one of: ${contexts.join(', ')}`,
      );
    }
    kubeConfig.setCurrentContext(options.context);
  }
  const context = kubeConfig.getCurrentContext();
  const cluster = kubeConfig.getCurrentCluster();
  if (!context || cluster === null) {
    throw new KubeDeployError(
      'unknown_context',
      `the kubeconfig (${source}) has no current context with a cluster`,
      contexts.length === 0 ? 'add a cluster and a context to it (kubectl config set-cluster / set-context)' : `pass --context with one of: ${contexts.join(', ')}`,
    );
  }
  return { kubeConfig, source, context, server: cluster.server };
}
