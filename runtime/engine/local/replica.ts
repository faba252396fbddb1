/**
 * @module One replica of a function: an OS process running the function's bundle.
 *
 * The process is started with `PORT=0`; it reports the port it listens on and then its readiness over the
 * IPC channel (`{type: 'listening' | 'ready' | 'failed'}`), so no port is guessed and no health endpoint is
 * polled. Given a `frameSocket`, the replica also serves the engine's frame transport there (runtime/frames); when
 * it says so, `frames` is the connection the gateway calls it over. Stopping sends SIGTERM (the function drains
 * its in-flight requests) and SIGKILL after a bound.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { FrameClient } from '../../frames/client.ts';
import { MALLOC_ENV } from '../../host/malloc-env.ts';

export type ReplicaState = 'starting' | 'ready' | 'draining' | 'stopped';

export interface Replica {
  readonly id: number;
  readonly fn: string;
  state: ReplicaState;
  port: number;
  /** The connection to the replica's frame socket, when it serves one (else calls go over HTTP to `port`). */
  frames: FrameClient | undefined;
  inflight: number;
  /** ms from spawn to ready. */
  startMs: number;
  readonly process: ChildProcess;
  /** Resolves when ready; rejects if the process fails to start or exits first. */
  readonly ready: Promise<void>;
  /** Resolves with the exit code/signal when the process is gone. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(killAfterMs?: number): Promise<void>;
}

export interface SpawnOptions {
  id: number;
  fn: string;
  bundle: string;
  env: Record<string, string>;
  /** A Unix socket path for the replica to serve the frame transport on (SWITCHYARD_FRAME_SOCKET). */
  frameSocket?: string | undefined;
  cwd?: string;
  startTimeoutMs: number;
  now: () => number;
  /** Receives the replica's output, one line at a time. */
  output: (line: string, stream: 'stdout' | 'stderr') => void;
}

export function spawnReplica(options: SpawnOptions): Replica {
  const started = options.now();
  const child = spawn(process.execPath, [options.bundle], {
    env: {
      // The allocator setting (runtime/host/malloc-env.ts); the user's own setting wins.
      ...MALLOC_ENV,
      ...process.env,
      ...options.env,
      PORT: '0',
      HOST: '127.0.0.1',
      ...(options.frameSocket === undefined ? {} : { SWITCHYARD_FRAME_SOCKET: options.frameSocket }),
    },
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  pipeLines(child.stdout, (line) => options.output(line, 'stdout'));
  pipeLines(child.stderr, (line) => options.output(line, 'stderr'));

  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      replica.frames?.close();
      resolve({ code, signal });
    });
  });

  const replica: Replica = {
    id: options.id,
    fn: options.fn,
    state: 'starting',
    port: 0,
    frames: undefined,
    inflight: 0,
    startMs: 0,
    process: child,
    exited,
    ready: new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`function "${options.fn}" replica ${options.id} did not become ready within ${options.startTimeoutMs} ms`));
        child.kill('SIGKILL');
      }, options.startTimeoutMs);
      child.on('message', (message: { type?: string; port?: number; frames?: string; message?: string }) => {
        if (message.type === 'listening' && typeof message.port === 'number') replica.port = message.port;
        if (message.type === 'ready') {
          if (typeof message.port === 'number') replica.port = message.port;
          // Only the socket the engine handed out: a replica cannot point the gateway elsewhere.
          if (message.frames !== undefined && message.frames === options.frameSocket && replica.frames === undefined) replica.frames = new FrameClient(message.frames);
          clearTimeout(timer);
          replica.startMs = options.now() - started;
          resolve();
        }
        if (message.type === 'failed') {
          clearTimeout(timer);
          reject(new Error(`function "${options.fn}" failed to start: ${message.message ?? 'unknown error'}`));
        }
      });
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(new Error(`function "${options.fn}" could not be started: ${error.message}`));
      });
      exited.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(new Error(`function "${options.fn}" exited while starting (${signal ?? `code ${code}`})`));
      });
    }),
    async stop(killAfterMs = 10_000) {
      if (replica.state === 'stopped') return;
      replica.state = 'draining';
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
        await exited;
        clearTimeout(timer);
      }
      replica.state = 'stopped';
    },
  };
  replica.ready.catch(() => {});
  return replica;
}

function pipeLines(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): void {
  if (stream === null) return;
  let buffer = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffer += chunk;
    let index: number;
    while ((index = buffer.indexOf('\n')) >= 0) {
      onLine(buffer.slice(0, index));
      buffer = buffer.slice(index + 1);
    }
  });
  stream.on('end', () => {
    if (buffer) onLine(buffer);
  });
}
