/** Test helper: `switchyard up` as a user runs it, a child process of the real CLI. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const CLI = path.resolve('bin/switchyard.mjs');

export interface Up {
  url: string;
  output: () => string;
  stop(): Promise<void>;
}

/** Runs `switchyard up <graph> --port 0 …args` and resolves once it says where it serves. */
export function up(graph: string, buildDir: string, args: string[]): Promise<Up> {
  const child: ChildProcess = spawn(process.execPath, [CLI, 'up', graph, '--port', '0', '--build-dir', buildDir, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`switchyard up did not start within 60 s:\n${output}`)), 60_000);
    const onData = (data: Buffer) => {
      output += data.toString();
      const match = /ready: (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({
          url: match[1]!,
          output: () => output,
          async stop() {
            child.kill('SIGTERM');
            await exited;
          },
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`switchyard up exited:\n${output}`));
    });
  });
}
