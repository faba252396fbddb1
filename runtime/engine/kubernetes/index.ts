/**
 * @module runtime/engine/kubernetes: the Kubernetes + Knative Serving engine — `deploy`, `status`, `rollback`
 * and `delete` of a compiled graph over the Kubernetes API (the only run-time code that imports
 * @kubernetes/client-node). See docs/kubernetes.md.
 */
export { connectCluster } from './connect.ts';
export { loadKubeConfig, type KubeConfigOptions, type LoadedKubeConfig } from './kube-config.ts';
export { createKubeApi } from './client.ts';
export type { ApplyOptions, KubeApi, WatchHandle } from './kube-api.ts';
export { KubeDeployError, formatKubeError, explainApiError, RBAC_FILE, type KubeErrorCode } from './errors.ts';
export { checkCluster } from './cluster-check.ts';
export { deployGraph, type DeployEvent, type DeployOptions, type DeployResult, type StateSecret } from './deploy-graph.ts';
export { applyObject, type AppliedObject, type ApplyOutcome } from './apply-object.ts';
export { waitForServices, formatDuration, type ServiceStateChange } from './wait-ready.ts';
export { graphStatus, type GraphStatus } from './graph-status.ts';
export { rollbackGraph } from './rollback-graph.ts';
export { deleteGraph } from './delete-graph.ts';
export { formatDeployEvent } from './progress.ts';
export { applyPhases, deleteOrder } from './order.ts';
export { changedPaths, sameJson } from './diff.ts';
export { pruneSet } from './prune.ts';
export { fillStableRevision, needsStableRevision, stableRevision, withDefaultTraffic } from './canary.ts';
export { chooseRollback, pinTraffic, type RollbackChoice } from './rollback-plan.ts';
export { readiness, summarizeService, type Readiness, type ServiceSummary, type TrafficShare } from './service-status.ts';
export * from './types.ts';
