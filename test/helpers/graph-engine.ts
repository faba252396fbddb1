/**
 * Test helper: compile a graph with the real compiler into a temporary directory and run it on the real
 * local engine (real function processes, real HTTP), on a free port.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildGraph } from '../../compiler/cli/build-graph.ts';
import type { PlanOverrides } from '../../compiler/plan/index.ts';
import { startLocalEngine, type LocalEngine, type LocalEngineOptions } from '../../runtime/engine/local/engine.ts';
import type { DeploymentPlan } from '../../runtime/plan/types.ts';

export interface RunningGraph {
  engine: LocalEngine;
  url: string;
  plan: DeploymentPlan;
  dir: string;
  logs: string[];
  post(route: string, body: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any; headers: Headers }>;
  get(route: string): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

export async function startGraph(
  file: string,
  options: { overrides?: PlanOverrides; engine?: Partial<LocalEngineOptions> } = {},
): Promise<RunningGraph> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-test-'));
  const built = await buildGraph(file, { outDir: path.join(dir, 'build'), ...(options.overrides ? { overrides: options.overrides } : {}) });
  if (!built.ok) throw new Error(`graph did not compile:\n${built.report}`);
  const logs: string[] = [];
  const engine = await startLocalEngine({
    plan: built.plan,
    buildDir: built.outDir,
    port: 0,
    state: { kind: 'file', path: path.join(dir, 'state.json') },
    log: (line) => logs.push(line),
    ...options.engine,
  });
  return {
    ...graphClient(engine, built.plan, logs),
    dir,
    async stop() {
      await engine.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `check` until it returns true, or fails with `what` after `timeoutMs`. */
export async function eventually(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
}

/** The HTTP helpers of a running graph: post/get with the body parsed as JSON where it is JSON. */
export function graphClient(engine: LocalEngine, plan: DeploymentPlan, logs: string[]): Omit<RunningGraph, 'dir' | 'stop'> {
  const parse = async (response: Response) => {
    const text = await response.text();
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  };
  return {
    engine,
    url: engine.url,
    plan,
    logs,
    async post(route, body, headers = {}) {
      const response = await fetch(engine.url + route, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      return { status: response.status, body: await parse(response), headers: response.headers };
    },
    async get(route) {
      const response = await fetch(engine.url + route);
      return { status: response.status, body: await parse(response) };
    },
  };
}
