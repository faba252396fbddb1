/**
 * @module ONNX models named by an http(s) URL (`onnx.path: https://…/model.onnx`, as KServe's `storageUri` names
 * a model): downloaded once, at build time, into a cache, and from then on treated as the local file they became.
 *
 * - The cache is `$SWITCHYARD_CACHE_DIR/models` (default `~/.cache/switchyard/models`), one file per URL, named by
 *   the URL's SHA-256: a URL is downloaded again only when its file is gone.
 * - With `onnx.sha256` the file's content is checked (after a download and on every later use): a different
 *   file is an error that gives both digests, and a bad download is not kept.
 * - A download goes to a `.partial` file renamed into place, so an interrupted one never passes for a model.
 *   Long downloads report their progress through `log`.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Whether an `onnx.path` is a URL to download rather than a file next to the graph. */
export function isModelUrl(value: string): boolean {
  return /^https?:\/\//i.test(value);
}

export function modelCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.SWITCHYARD_CACHE_DIR || path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'switchyard');
  return path.join(base, 'models');
}

/** Where the model downloaded from `url` is kept. */
export function cachedModelFile(url: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.join(modelCacheDir(env), `${createHash('sha256').update(url).digest('hex').slice(0, 32)}.onnx`);
}

export async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

export type ModelDownload = { ok: true; file: string; downloaded: boolean } | { ok: false; problem: string; hint: string };

/** The model at `url`, from the cache or downloaded into it. Never throws: a failure says what to check. */
export async function downloadModel(url: string, options: { sha256?: string; log?: (line: string) => void; env?: NodeJS.ProcessEnv } = {}): Promise<ModelDownload> {
  const file = cachedModelFile(url, options.env);
  const check = async (downloaded: boolean): Promise<ModelDownload> => {
    if (options.sha256 === undefined) return { ok: true, file, downloaded };
    const actual = await sha256OfFile(file);
    if (actual === options.sha256.toLowerCase()) return { ok: true, file, downloaded };
    if (downloaded) await rm(file, { force: true });
    return {
      ok: false,
      problem: `the file at ${url} has sha256 ${actual}, not the ${options.sha256} that onnx.sha256 expects`,
      hint: downloaded ? 'check that the URL names the model you meant, or update onnx.sha256' : `the cached copy (${file}) differs: delete it to download the model again`,
    };
  };
  if ((await stat(file).catch(() => undefined))?.isFile()) return check(false);

  await mkdir(path.dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.partial`;
  const started = performance.now();
  let response: Response;
  try {
    response = await fetch(url, { redirect: 'follow' });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { ok: false, problem: `could not download ${url}: ${cause?.code ?? cause?.message ?? (error as Error).message}`, hint: 'check the URL and that this machine can reach it (models are downloaded when the graph is built)' };
  }
  if (!response.ok || response.body === null) {
    await response.body?.cancel();
    return { ok: false, problem: `could not download ${url}: HTTP ${response.status} ${response.statusText}`.trimEnd(), hint: 'check the URL (a private bucket needs a presigned or public URL)' };
  }
  const total = Number(response.headers.get('content-length') ?? Number.NaN);
  options.log?.(`downloading ${url}${Number.isFinite(total) ? ` (${megabytes(total)})` : ''}`);
  let received = 0;
  let reported = 0;
  const progress = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      received += chunk.byteLength;
      // A line per quarter for a large file, so that a slow download is seen to move.
      const quarter = Number.isFinite(total) && total > 8 * 1024 * 1024 ? Math.floor((received / total) * 4) : 0;
      if (quarter > reported && quarter < 4) {
        reported = quarter;
        options.log?.(`  ${quarter * 25}% of ${megabytes(total)}`);
      }
      controller.enqueue(chunk);
    },
  });
  try {
    await pipeline(Readable.fromWeb(response.body.pipeThrough(progress) as import('node:stream/web').ReadableStream), createWriteStream(partial));
    if (Number.isFinite(total) && received !== total) throw new Error(`received ${received} of ${total} bytes`);
    await rename(partial, file);
  } catch (error) {
    await rm(partial, { force: true });
    return { ok: false, problem: `the download of ${url} broke off: ${(error as Error).message}`, hint: 'build again to retry' };
  }
  options.log?.(`downloaded ${url} (${megabytes(received)}) in ${((performance.now() - started) / 1000).toFixed(1)} s, cached at ${file}`);
  return check(true);
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
