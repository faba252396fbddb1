/** @module Entry of the orchestrator function: the graph's front door, routers and feedback. */
import type { DeploymentPlan, StateStoreConfig } from '../../runtime/plan/types.ts';
import { createOrchestrator, createOrchestratorApp, createOrchestratorMetrics, loadFusedNodes, type Endpoints } from '../../runtime/orchestrator/index.ts';
import type { LoadedNode } from '../../runtime/host/types.ts';
import fusedComponents from 'switchyard:fused-components';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createStateStore } from '../../runtime/state/index.ts';
import { randomRng, realClock } from '../../runtime/time/index.ts';
import { createLogger } from '../../runtime/log.ts';
import { jsonEnv, runFunction } from '../adapter.ts';

declare const SWITCHYARD_PLAN: DeploymentPlan;

const plan = SWITCHYARD_PLAN;
const log = createLogger('orchestrator');
const endpoints = jsonEnv<Endpoints>('SWITCHYARD_ENDPOINTS');
const stateConfig = jsonEnv<StateStoreConfig>('SWITCHYARD_STATE', plan.state);
const store = createStateStore(stateConfig);
const metrics = createOrchestratorMetrics(plan.graph);
const fusedNodes = new Map<string, LoadedNode>();
const bundleDir = process.env.SWITCHYARD_MODEL_DIR || path.dirname(fileURLToPath(import.meta.url));
const ready = loadFusedNodes(plan, fusedComponents, { bundleDir, log }).then((loaded) => {
  for (const [name, node] of loaded) fusedNodes.set(name, node);
});
const orchestrator = createOrchestrator({
  plan,
  endpoints,
  store,
  rng: randomRng(),
  clock: realClock,
  metrics,
  warn: (message) => log.warn(message),
  fusedNodes,
});

await runFunction('orchestrator', createOrchestratorApp({ orchestrator, metrics, ready }));
