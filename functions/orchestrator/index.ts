/** @module Entry of the orchestrator function: the graph's front door, routers and feedback. */
import type { DeploymentPlan, StateStoreConfig } from '../../runtime/plan/types.ts';
import { createOrchestrator, createOrchestratorApp, createOrchestratorMetrics, type Endpoints } from '../../runtime/orchestrator/index.ts';
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
const orchestrator = createOrchestrator({
  plan,
  endpoints,
  store,
  rng: randomRng(),
  clock: realClock,
  metrics,
  warn: (message) => log.warn(message),
});

await runFunction('orchestrator', createOrchestratorApp({ orchestrator, metrics }));
