/** @module Entry of the orchestrator function: the graph's front door, routers and feedback. */
import type { DeploymentPlan, StateStoreConfig } from '../../runtime/plan/types.ts';
import { createOrchestrator, createOrchestratorApp, createOrchestratorMetrics, loadFusedNodes, type Endpoints, type FrameRoutes } from '../../runtime/orchestrator/index.ts';
import type { LoadedNode } from '../../runtime/host/types.ts';
import fusedComponents from 'switchyard:fused-components';
import grpcClients from 'switchyard:grpc-client';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hostname } from 'node:os';
import { createStateStore, parseStateConfig } from '../../runtime/state/index.ts';
import { randomRng, realClock } from '../../runtime/time/index.ts';
import { createLogger } from '../../runtime/log.ts';
import { bodyLimitOption, jsonEnv, runFunction, setUpOrExit } from '../adapter.ts';

declare const SWITCHYARD_PLAN: DeploymentPlan;

const plan = SWITCHYARD_PLAN;
const log = createLogger('orchestrator');

const handle = await setUpOrExit('orchestrator', () => {
  const endpoints = jsonEnv<Endpoints>('SWITCHYARD_ENDPOINTS');
  // Set by the local engine: its gateway's origin → the Unix socket it serves the frame transport on.
  const frameRoutes = jsonEnv<FrameRoutes>('SWITCHYARD_FRAME_ROUTES', {});
  // SWITCHYARD_STATE: the plan's JSON, or a bare redis://… URL (as a Kubernetes Secret holds it); default plan.state.
  const stateConfig: StateStoreConfig = process.env.SWITCHYARD_STATE ? parseStateConfig(process.env.SWITCHYARD_STATE, 'SWITCHYARD_STATE') : plan.state;
  const store = createStateStore(stateConfig);
  log.info(`router state: ${store.kind} ${store.location}`);
  const metrics = createOrchestratorMetrics(plan.graph);
  const fusedNodes = new Map<string, LoadedNode>();
  const bundleDir = process.env.SWITCHYARD_MODEL_DIR || path.dirname(fileURLToPath(import.meta.url));
  const ready = loadFusedNodes(plan, fusedComponents, { bundleDir, log }).then((loaded) => {
    for (const [name, node] of loaded) fusedNodes.set(name, node);
  });
  const orchestrator = createOrchestrator({
    plan,
    endpoints,
    frameRoutes,
    store,
    rng: randomRng(),
    clock: realClock,
    metrics,
    warn: (message) => log.warn(message),
    info: (message) => log.info(message),
    stateKeeping: { replica: `${hostname()}/${process.pid}` },
    fusedNodes,
    ...(grpcClients ? { grpcClients } : {}),
    // The local engine's --no-graph-activation; otherwise the plan's `activation`.
    ...(process.env.SWITCHYARD_GRAPH_ACTIVATION === 'cascade' ? { activation: 'cascade' as const } : {}),
  });

  const app = createOrchestratorApp({ orchestrator, metrics, ready, ...bodyLimitOption() });
  // Stopping (scale to zero): drain requests, then apply queued feedback (for at most 5 s) and close the state store.
  return { ...app, drain: async (timeoutMs: number) => (await app.drain(timeoutMs), await orchestrator.close(5000)) };
});
await runFunction('orchestrator', handle, { graph: plan.graph, samplingRatio: plan.tracing.samplingRatio });
