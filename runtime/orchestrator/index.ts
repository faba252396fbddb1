/** @module The orchestrator: walks a graph, runs its routers, applies feedback; and its HTTP app. */
export { createOrchestrator, type Orchestrator, type OrchestratorOptions } from './orchestrator.ts';
export { createOrchestratorApp, type OrchestratorApp } from './app.ts';
export { createOrchestratorMetrics, type OrchestratorMetrics } from './metrics.ts';
export { NodeCallError } from './errors.ts';
export type { Endpoints, FrameRoutes } from './node-client.ts';
export { loadFusedNodes } from './fused-nodes.ts';
