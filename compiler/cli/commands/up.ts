/** @module `switchyard up graph.yaml [--port 8080]`: compile, then run the graph on this machine. */
import path from 'node:path';
import type { DeploymentPlan, StateStoreConfig } from '../../../runtime/plan/types.ts';
import { startLocalEngine, type InternalTransport } from '../../../runtime/engine/local/engine.ts';
import { parseDevices } from '../../../runtime/engine/local/devices.ts';
import { buildGraph } from '../build-graph.ts';
import { fusionReport } from '../fusion-report.ts';
import { payloadLogReport } from '../payload-log-report.ts';
import { filesOfBuild, watchGraph } from '../watch-graph.ts';
import type { PlanOverrides } from '../../plan/index.ts';
import type { Output } from '../output.ts';
import { parseDurationFlag, parseStateFlag } from '../flags.ts';
import { parseCount, scalingOverrides, type ScalingFlags } from '../scaling-flags.ts';
import { grpcPortFlag, parseSizeFlag, readAuthToken } from '../server-flags.ts';

export interface UpOptions extends ScalingFlags {
  port: string;
  host: string;
  buildDir?: string;
  state?: string;
  tick?: string;
  maxQueue?: string;
  queueTimeout?: string;
  /** false with --no-graph-activation. */
  graphActivation?: boolean;
  /** --internal-transport frames|http */
  internalTransport?: string;
  grpcPort?: string;
  maxBodySize?: string;
  authTokenFile?: string;
  /** How many recent traces the engine keeps. */
  traces?: string;
  /** --devices nvidia-gpu=2 (instead of detection). */
  devices?: string;
  /** --watch: rebuild and restart the graph when its file, components or models change. */
  watch?: boolean;
  quiet?: boolean;
}

export async function upCommand(file: string, options: UpOptions, out: Output): Promise<number> {
  const overrides: PlanOverrides = {};
  const scaling = scalingOverrides(options);
  if (Object.keys(scaling).length > 0) overrides.scaling = scaling;
  if (options.state) overrides.state = parseStateFlag(options.state);
  const port = Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number from 0 to 65535; received "${options.port}"`);
  const engineFlags = {
    ...(options.tick ? { tickMs: parseDurationFlag('--tick', options.tick) } : {}),
    ...(options.maxQueue ? { maxQueue: positive('--max-queue', parseCount('--max-queue', options.maxQueue), options.maxQueue) } : {}),
    ...(options.queueTimeout ? { queueTimeoutMs: positive('--queue-timeout', parseDurationFlag('--queue-timeout', options.queueTimeout), options.queueTimeout) } : {}),
    ...(options.graphActivation === false ? { graphActivation: false } : {}),
    ...(options.internalTransport === undefined ? {} : { internalTransport: transportFlag(options.internalTransport) }),
    grpcPort: grpcPortFlag(options.grpcPort, port),
    ...(options.maxBodySize ? { bodyLimitBytes: parseSizeFlag('--max-body-size', options.maxBodySize) } : {}),
    ...(options.traces ? { traces: positive('--traces', parseCount('--traces', options.traces), options.traces) } : {}),
    ...(options.devices === undefined ? {} : { devices: parseDevices(options.devices) }),
  };
  const authToken = readAuthToken(options.authTokenFile, process.env);

  const buildDir = path.resolve(options.buildDir ?? defaultBuildDir(file));
  const started = performance.now();
  const built = await buildGraph(file, { outDir: buildDir, overrides, log: (line) => out.info(line) });
  if (!built.ok) {
    out.error(built.report);
    return 1;
  }
  const log = (message: string) => {
    if (!options.quiet) out.info(`${new Date().toISOString().slice(11, 23)} ${message}`);
  };
  log(`compiled graph "${built.plan.graph}" (${built.functions.length} functions) in ${Math.round(performance.now() - started)} ms`);
  for (const line of fusionReport(built.plan)) log(line);
  const state = absoluteState(built.plan.state, built.graphDir);
  const startEngine = (plan: DeploymentPlan, dir: string, stateConfig: StateStoreConfig, at: { port: number; grpcPort?: number | undefined }) =>
    startLocalEngine({
      plan,
      buildDir: dir,
      port: at.port,
      host: options.host,
      state: stateConfig,
      log,
      ...engineFlags,
      ...(at.grpcPort === undefined ? {} : { grpcPort: at.grpcPort }),
      ...(authToken === undefined ? {} : { authToken }),
    });
  let engine = await startEngine(built.plan, buildDir, state, { port, grpcPort: engineFlags.grpcPort });
  const routes = [`POST ${engine.url}/api/v1.0/predictions`, `POST ${engine.url}/api/v1.0/feedback`, `POST ${engine.url}/v2/models/${built.plan.graph}/infer`, `POST ${engine.url}/v1/models/${built.plan.graph}:predict`];
  out.info(`ready: ${engine.url} (graph "${built.plan.graph}"; functions start on the first request)`);
  for (const route of routes) log(`  ${route}`);
  if (engine.grpcAddress !== undefined) out.info(`grpc: ${engine.grpcAddress} (inference.GRPCInferenceService)`);
  log(`  router state: ${describeState(state)}`);
  log(`  traces: \`switchyard trace list --port ${engine.port}\`, or ${engine.url}/ui`);
  for (const line of payloadLogReport(built.plan)) log(`  payload log: ${line}`);
  if (authToken !== undefined) log('  auth: bearer token required (health, /metrics and /_switchyard/status stay open)');
  if (options.graphActivation === false) log('  graph activation off: each function cold-starts when first called (--no-graph-activation)');
  if (engine.status().internalTransport.kind === 'http') log('  internal calls over HTTP (--internal-transport http, a --max-body-size above what a frame carries, or a TMPDIR too deep for socket paths)');

  // --watch: on a change, build into the other of two build directories while the graph keeps serving; only a
  // graph that builds replaces the running one (same ports; router state is kept by its store).
  const slots = [buildDir, `${buildDir}.next`];
  let slot = 0;
  let running = { plan: built.plan, state };
  let reloading: Promise<void> = Promise.resolve();
  let waiting: string[] | undefined;
  const reload = async (changed: string[]): Promise<void> => {
    const reloadStarted = performance.now();
    log(`changed: ${changed.join(', ')}; rebuilding…`);
    const next = await buildGraph(file, { outDir: slots[1 - slot]!, overrides, log });
    if (!next.ok) {
      out.error(next.report);
      log('not reloaded: the running graph keeps serving; fix the file and save again');
      return;
    }
    watcher?.add(filesOfBuild(file, next));
    const nextState = absoluteState(next.plan.state, next.graphDir);
    const at = { port: engine.port, grpcPort: engine.grpcPort };
    log('reloading: draining the running graph…');
    await engine.stop();
    try {
      engine = await startEngine(next.plan, slots[1 - slot]!, nextState, at);
    } catch (error) {
      // The new graph built but cannot start (a device it requires, a port taken meanwhile): serve the old one again.
      out.error(`the new graph cannot start: ${(error as Error).message}`);
      engine = await startEngine(running.plan, slots[slot]!, running.state, at);
      log('not reloaded: the previous graph serves again; fix the problem and save again');
      return;
    }
    slot = 1 - slot;
    running = { plan: next.plan, state: nextState };
    log(`reloaded graph "${next.plan.graph}" (${next.functions.length} functions) in ${Math.round(performance.now() - reloadStarted)} ms: ${engine.url}`);
  };
  const onChange = (changed: string[]) => {
    // Changes during a rebuild are gathered for one more rebuild after it.
    if (waiting !== undefined) return void waiting.push(...changed);
    waiting = [...changed];
    reloading = reloading.then(async () => {
      const files = [...new Set(waiting)];
      waiting = undefined;
      await reload(files).catch((error: unknown) => out.error(`reload failed: ${(error as Error).message}`));
    });
  };
  const watcher = options.watch ? watchGraph({ files: filesOfBuild(file, built), onChange }) : undefined;
  if (watcher !== undefined) log('  watching the graph file, its components and models: a change rebuilds and restarts the graph (--watch)');

  await new Promise<void>((resolve) => {
    const stop = () => {
      watcher?.close();
      log('stopping: draining functions…');
      void reloading.then(() => engine.stop()).then(resolve);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  log('stopped');
  return 0;
}

function positive(flag: string, n: number, raw: string): number {
  if (!(n > 0)) throw new Error(`${flag} must be above 0; received "${raw}"`);
  return n;
}

function defaultBuildDir(file: string): string {
  const rel = path.relative(process.cwd(), path.resolve(file)).replace(/\.(ya?ml|json)$/, '');
  const slug = rel.replace(/[^a-zA-Z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'graph';
  return path.join('.switchyard', 'build', slug);
}

function absoluteState(state: StateStoreConfig, graphDir: string): StateStoreConfig {
  return state.kind === 'file' ? { kind: 'file', path: path.resolve(graphDir, state.path) } : state;
}

function describeState(state: StateStoreConfig): string {
  if (state.kind === 'file') return `file ${path.relative(process.cwd(), state.path)}`;
  if (state.kind === 'redis') return `redis ${state.url.replace(/\/\/[^@]*@/, '//***@')}`;
  return 'memory (lost on restart)';
}

function transportFlag(value: string): InternalTransport {
  if (value === 'frames' || value === 'http') return value;
  throw new Error(`--internal-transport must be frames or http; received "${value}"`);
}
