/**
 * @module The checks before anything is sent: the cluster answers (with these credentials), and it has Knative
 * Serving's API (`serving.knative.dev/v1` in discovery), without which no Knative Service can be applied.
 */
import { KNATIVE_HINT, KubeDeployError } from './errors.ts';
import type { KubeApi } from './kube-api.ts';
import { KNATIVE_API_VERSION } from './types.ts';

export async function checkCluster(api: KubeApi): Promise<void> {
  const versions = await api.groupVersions();
  if (!versions.includes(KNATIVE_API_VERSION)) {
    throw new KubeDeployError(
      'knative_missing',
      `Knative Serving is not installed in the cluster at ${api.server} (context "${api.context}"): API discovery has no ${KNATIVE_API_VERSION}`,
      KNATIVE_HINT,
    );
  }
}
