/**
 * A child process for the file store test: `node _file-store-worker.ts STATE_FILE COUNT GO_FILE`.
 * Prints "ready", waits until GO_FILE exists (so that workers start together), then runs COUNT concurrent increments
 * of the key "count" and exits.
 */
import { existsSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { createFileStore } from '../../../runtime/state/file-store.ts';

const [path, count, goFile] = process.argv.slice(2);
if (!path || !count || !goFile) throw new Error('usage: _file-store-worker.ts STATE_FILE COUNT GO_FILE');
const store = createFileStore({ path, lockTimeoutMs: 30_000 });
process.stdout.write('ready\n');
while (!existsSync(goFile)) await delay(2);
await Promise.all(
  Array.from({ length: Number(count) }, () => store.update<{ n: number }>('count', (c) => ({ n: (c?.n ?? 0) + 1 }))),
);
await store.close();
