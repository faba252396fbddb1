/**
 * @module A private, throwaway redis-server for tests: its own port on 127.0.0.1, no persistence, stopped after.
 *
 *   const redis = await startRedisServer();   // { url, port, stop() }
 *   …
 *   await redis.stop();
 *
 * `redisServerBinary()` is undefined when `redis-server` is not installed (Debian: apt-get install redis-server):
 * use it with `describe.skipIf`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

export interface RedisServerHandle {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** The path of `redis-server` on PATH (or in /usr/bin, /usr/sbin, /usr/local/bin), or undefined. */
export function redisServerBinary(): string | undefined {
  const dirs = [...(process.env['PATH'] ?? '').split(delimiter), '/usr/bin', '/usr/sbin', '/usr/local/bin'];
  for (const dir of dirs) {
    const candidate = join(dir, 'redis-server');
    if (dir && existsSync(candidate) && spawnSync(candidate, ['--version']).status === 0) return candidate;
  }
  return undefined;
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** True when a PING on `port` answers PONG. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d: Buffer) => {
      reply += d.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

/**
 * Starts redis-server on a free port (or `port`, to start one again where a stopped one was) and resolves once it
 * answers PING (rejects after `timeoutMs`). With `dir`, it keeps its data there (append-only file, fsync on every
 * write), so a server started again on the same `dir` has it back; without, nothing is persisted.
 */
export async function startRedisServer({ timeoutMs = 10_000, port: wanted, dir }: { timeoutMs?: number; port?: number; dir?: string } = {}): Promise<RedisServerHandle> {
  const binary = redisServerBinary();
  if (!binary) throw new Error('redis-server is not installed (Debian: apt-get install -y redis-server)');
  const port = wanted ?? (await freePort());
  const persistence = dir === undefined ? ['--appendonly', 'no'] : ['--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always'];
  const child = spawn(
    binary,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...persistence, '--daemonize', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let running = true;
  void exited.then(() => (running = false));

  const stop = async () => {
    if (!running) return;
    child.kill('SIGTERM');
    const killed = await Promise.race([exited.then(() => true), delay(5000).then(() => false)]);
    if (!killed) {
      child.kill('SIGKILL');
      await exited;
    }
  };

  const deadline = Date.now() + timeoutMs;
  while (!(await ping(port))) {
    if (!running || Date.now() > deadline) {
      await stop();
      throw new Error(`redis-server on port ${port} did not start: ${output.trim().slice(-2000)}`);
    }
    await delay(20);
  }
  return { url: `redis://127.0.0.1:${port}`, port, stop };
}
