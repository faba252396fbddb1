/** @module `switchyard up graph.yaml [--port 8080]`: compile, then run the graph on this machine. */
import path from 'node:path';
import type { StateStoreConfig } from '../../../runtime/plan/types.ts';
import { startLocalEngine } from '../../../runtime/engine/local/engine.ts';
import { buildGraph } from '../build-graph.ts';
import type { PlanOverrides } from '../../plan/index.ts';
import type { Output } from '../output.ts';
import { parseDurationFlag, parseStateFlag } from '../flags.ts';

export interface UpOptions {
  port: string;
  host: string;
  buildDir?: string;
  state?: string;
  stableWindow?: string;
  scaleToZeroGrace?: string;
  scaleDownDelay?: string;
  tick?: string;
  quiet?: boolean;
}

export async function upCommand(file: string, options: UpOptions, out: Output): Promise<number> {
  const overrides: PlanOverrides = {};
  const scaling: NonNullable<PlanOverrides['scaling']> = {};
  if (options.stableWindow) scaling.stableWindowMs = parseDurationFlag('--stable-window', options.stableWindow);
  if (options.scaleToZeroGrace) scaling.scaleToZeroGracePeriodMs = parseDurationFlag('--scale-to-zero-grace', options.scaleToZeroGrace);
  if (options.scaleDownDelay) scaling.scaleDownDelayMs = parseDurationFlag('--scale-down-delay', options.scaleDownDelay);
  if (Object.keys(scaling).length > 0) overrides.scaling = scaling;
  if (options.state) overrides.state = parseStateFlag(options.state);
  const port = Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number from 0 to 65535; received "${options.port}"`);

  const buildDir = path.resolve(options.buildDir ?? defaultBuildDir(file));
  const started = performance.now();
  const built = await buildGraph(file, { outDir: buildDir, overrides });
  if (!built.ok) {
    out.error(built.report);
    return 1;
  }
  const log = (message: string) => {
    if (!options.quiet) out.info(`${new Date().toISOString().slice(11, 23)} ${message}`);
  };
  log(`compiled graph "${built.plan.graph}" (${built.functions.length} functions) in ${Math.round(performance.now() - started)} ms`);
  const state = absoluteState(built.plan.state, built.graphDir);
  const engine = await startLocalEngine({
    plan: built.plan,
    buildDir,
    port,
    host: options.host,
    state,
    log,
    ...(options.tick ? { tickMs: parseDurationFlag('--tick', options.tick) } : {}),
  });
  const routes = [`POST ${engine.url}/api/v1.0/predictions`, `POST ${engine.url}/api/v1.0/feedback`, `POST ${engine.url}/v2/models/${built.plan.graph}/infer`];
  out.info(`ready: ${engine.url} (graph "${built.plan.graph}"; functions start on the first request)`);
  for (const route of routes) log(`  ${route}`);
  log(`  router state: ${describeState(state)}`);

  await new Promise<void>((resolve) => {
    const stop = () => {
      log('stopping: draining functions…');
      void engine.stop().then(resolve);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  log('stopped');
  return 0;
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
