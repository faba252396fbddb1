/**
 * @module A loopback Kubernetes API server for tests (HTTPS on 127.0.0.1, the real REST protocol and Status
 * errors) and a stand-in for Knative's controller that a test drives. Not a cluster: see server.ts.
 */
export { FakeKubeApiServer, type DenyRule, type FakeKubeOptions, type LoggedRequest, type RbacRule } from './server.ts';
export { FakeKnativeController, GENERATION_LABEL, SERVICE_LABEL, type Outcome } from './knative-controller.ts';
export { KNATIVE_GROUP, type ResourceType } from './resources.ts';
export type { Json } from './store.ts';
