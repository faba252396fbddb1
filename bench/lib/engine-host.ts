/**
 * @module Child-process entry: runs a compiled graph on the local engine (`startLocalEngine`) in a process of
 * its own, so that a benchmark's load generator does not share the gateway's event loop.
 *
 * argv[2] is a JSON `EngineHostConfig`; the process answers `{type: 'ready', url}` over IPC and stops the
 * engine when its parent disconnects or sends SIGTERM.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { startLocalEngine, type InternalTransport } from '../../runtime/engine/local/engine.ts';
import type { DeploymentPlan } from '../../runtime/plan/types.ts';

export interface EngineHostConfig {
  buildDir: string;
  env?: Record<string, string>;
  /** Log lines go to stderr when true. */
  verbose?: boolean;
  /** The engine's own hops: frames (default) or HTTP. */
  internalTransport?: InternalTransport;
  /** Serve gRPC too, on a free port (its address comes back as `grpcAddress`). */
  grpc?: boolean;
}

const config = JSON.parse(process.argv[2] ?? '{}') as EngineHostConfig;
const plan = JSON.parse(await readFile(path.join(config.buildDir, 'plan.json'), 'utf8')) as DeploymentPlan;
const engine = await startLocalEngine({
  plan,
  buildDir: config.buildDir,
  port: 0,
  state: { kind: 'memory' },
  env: config.env ?? {},
  ...(config.internalTransport === undefined ? {} : { internalTransport: config.internalTransport }),
  ...(config.grpc ? { grpcPort: 0 } : {}),
  log: (line) => {
    if (config.verbose) process.stderr.write(`${line}\n`);
  },
});
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await engine.stop();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('disconnect', () => void stop());
process.send?.({ type: 'ready', url: engine.url, grpcAddress: engine.grpcAddress });
