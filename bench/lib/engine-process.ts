/** @module Runs a compiled graph on the local engine in a child process (lib/engine-host.ts) and hands back its URL. */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { EngineHostConfig } from './engine-host.ts';

export interface EngineProcess {
  pid: number;
  url: string;
  /** `host:port` of its gRPC server, when the config asked for one. */
  grpcAddress?: string;
  /** ms from fork to the engine listening. */
  startMs: number;
  stop(): Promise<void>;
}

const HOST = path.join(import.meta.dirname, 'engine-host.ts');

export async function startEngineProcess(config: EngineHostConfig, timeoutMs = 30_000): Promise<EngineProcess> {
  const started = performance.now();
  const child: ChildProcess = fork(HOST, [JSON.stringify(config)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: { ...process.env, ...config.env } });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const { url, grpcAddress } = await new Promise<{ url: string; grpcAddress?: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the engine for ${config.buildDir} did not start within ${timeoutMs} ms`)), timeoutMs);
    child.on('message', (message: { type?: string; url?: string; grpcAddress?: string }) => {
      if (message.type === 'ready' && message.url) {
        clearTimeout(timer);
        resolve({ url: message.url, ...(message.grpcAddress ? { grpcAddress: message.grpcAddress } : {}) });
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`the engine for ${config.buildDir} exited while starting`));
    });
  });
  return {
    pid: child.pid!,
    url,
    ...(grpcAddress ? { grpcAddress } : {}),
    startMs: performance.now() - started,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
