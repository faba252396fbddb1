/**
 * @module Starts one compiled function bundle as its own process (`PORT=0 node index.mjs`), the way a
 * replica runs, and times its start: spawn → listening (module load, server up) → ready (model or component
 * initialised), from the IPC messages every function entry sends.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export interface FunctionProcess {
  pid: number;
  port: number;
  url: string;
  /** ms from spawn to the 'listening' message: process start and module load. */
  listeningMs: number;
  /** ms from spawn to the 'ready' message. */
  readyMs: number;
  output: string[];
  stop(): Promise<void>;
}

export async function startFunctionProcess(bundle: string, options: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<FunctionProcess> {
  const started = performance.now();
  const child: ChildProcess = spawn(process.execPath, [bundle], {
    cwd: path.dirname(bundle),
    env: { ...process.env, ...options.env, PORT: '0', HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const output: string[] = [];
  const collect = (chunk: Buffer) => output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let listeningMs = Number.NaN;
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${bundle} did not become ready within ${options.timeoutMs ?? 60_000} ms:\n${output.join('\n')}`)), options.timeoutMs ?? 60_000);
    child.on('message', (message: { type?: string; port?: number; message?: string }) => {
      if (message.type === 'listening') listeningMs = performance.now() - started;
      if (message.type === 'ready' && typeof message.port === 'number') {
        clearTimeout(timer);
        resolve(message.port);
      }
      if (message.type === 'failed') {
        clearTimeout(timer);
        reject(new Error(`${bundle} failed to start: ${message.message}`));
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`${bundle} exited while starting:\n${output.join('\n')}`));
    });
  }).catch(async (error: unknown) => {
    child.kill('SIGKILL');
    await exited;
    throw error;
  });
  const readyMs = performance.now() - started;
  return {
    pid: child.pid!,
    port,
    url: `http://127.0.0.1:${port}`,
    listeningMs,
    readyMs,
    output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
