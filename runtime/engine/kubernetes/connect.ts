/**
 * @module From command-line options to a `KubeApi`: the kubeconfig and context (kube-config.ts), then the
 * client (client.ts).
 */
import type { Clock } from '../../time/clock.ts';
import { createKubeApi } from './client.ts';
import type { KubeApi } from './kube-api.ts';
import { loadKubeConfig, type KubeConfigOptions } from './kube-config.ts';

export function connectCluster(options: KubeConfigOptions & { clock: Clock; requestTimeoutMs?: number }): KubeApi {
  const loaded = loadKubeConfig(options);
  return createKubeApi(loaded, { clock: options.clock, ...(options.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: options.requestTimeoutMs }) });
}
