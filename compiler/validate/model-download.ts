/**
 * @module ONNX models named by URL (`onnx.path: https://…/model.onnx`, as KServe's `storageUri` names a model):
 * downloaded once, at build time, into a cache, and from then on treated as the local file they became.
 *
 * - `http://` and `https://` URLs are fetched as they are. `gs://bucket/key` is Google Cloud Storage's public URL
 *   (`https://storage.googleapis.com/bucket/key`); `s3://bucket/key` is the bucket's own endpoint
 *   (`https://bucket.s3.amazonaws.com/key`), or `<endpoint>/bucket/key` when `AWS_ENDPOINT_URL_S3`,
 *   `AWS_ENDPOINT_URL` or `S3_ENDPOINT` names one (MinIO and other S3-compatible stores).
 * - An `s3://` request is signed (AWS Signature Version 4, by the aws4 package) when the environment has AWS
 *   credentials, as the AWS CLI reads them: `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`,
 *   region `AWS_REGION` or `AWS_DEFAULT_REGION` (default us-east-1). Without them it goes unsigned (a public
 *   object). `gs://` requests are never signed: a private object needs a signed https URL.
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
import aws4 from 'aws4';

/** Whether an `onnx.path` is a URL to download rather than a file next to the graph. */
export function isModelUrl(value: string): boolean {
  return /^(https?|s3|gs):\/\//i.test(value);
}

/** Whether an `onnx.path` has a URL scheme Switchyard cannot read a model from (`hdfs://`, …). */
export function unsupportedModelScheme(value: string): string | undefined {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value)?.[1];
  return scheme !== undefined && !isModelUrl(value) && scheme.toLowerCase() !== 'pvc' ? scheme : undefined;
}

/**
 * `pvc://<claim>/<path>` (KServe's storageUri for a model already on a PersistentVolumeClaim): the claim and the
 * file's path inside it; undefined for any other `onnx.path`. Such a model is read in the pod, on Kubernetes only.
 */
export function pvcModel(value: string): { claim: string; path: string } | undefined {
  const match = /^pvc:\/\/([^/]*)\/?(.*)$/i.exec(value);
  return match === null ? undefined : { claim: match[1]!, path: match[2]! };
}

/** The https (or http) URL a model URI is downloaded from. */
export function downloadUrl(uri: string, env: NodeJS.ProcessEnv = process.env): string {
  const cloud = /^(s3|gs):\/\/([^/]+)\/(.+)$/i.exec(uri);
  if (cloud === null) return uri;
  const [, scheme, bucket, key] = cloud as unknown as [string, string, string, string];
  const objectPath = key.split('/').map(encodeURIComponent).join('/');
  if (scheme.toLowerCase() === 'gs') return `https://storage.googleapis.com/${encodeURIComponent(bucket)}/${objectPath}`;
  const endpoint = env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL || env.S3_ENDPOINT;
  if (endpoint) return `${/^https?:\/\//i.test(endpoint) ? '' : 'https://'}${endpoint.replace(/\/+$/, '')}/${encodeURIComponent(bucket)}/${objectPath}`;
  return `https://${bucket}.s3.amazonaws.com/${objectPath}`;
}

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** AWS credentials from the environment, as the AWS CLI reads them; undefined when the key or the secret is unset. */
export function awsCredentials(env: NodeJS.ProcessEnv = process.env): AwsCredentials | undefined {
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_SESSION_TOKEN: sessionToken } = env;
  if (!accessKeyId || !secretAccessKey) return undefined;
  return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
}

export function awsRegion(env: NodeJS.ProcessEnv = process.env): string {
  return env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1';
}

/** The headers that sign a GET of `url` (SigV4, service s3), for an `s3://` URI when AWS credentials are set. */
export function s3SignedHeaders(uri: string, url: string, env: NodeJS.ProcessEnv = process.env): Record<string, string> | undefined {
  const credentials = awsCredentials(env);
  if (!/^s3:\/\//i.test(uri) || credentials === undefined) return undefined;
  const target = new URL(url);
  const signed = aws4.sign({ host: target.host, path: target.pathname + target.search, service: 's3', region: awsRegion(env), method: 'GET', headers: {} }, credentials);
  const headers = { ...(signed.headers as Record<string, string>) };
  // fetch sends the URL's own Host, the one signed.
  delete headers.Host;
  return headers;
}

export function modelCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.SWITCHYARD_CACHE_DIR || path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'switchyard');
  return path.join(base, 'models');
}

/** Where the model downloaded from `uri` (as `downloadUrl` resolves it) is kept. */
export function cachedModelFile(uri: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.join(modelCacheDir(env), `${createHash('sha256').update(downloadUrl(uri, env)).digest('hex').slice(0, 32)}.onnx`);
}

export async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

export type ModelDownload = { ok: true; file: string; downloaded: boolean } | { ok: false; problem: string; hint: string };

/** The model at `url`, from the cache or downloaded into it. Never throws: a failure says what to check. */
export async function downloadModel(uri: string, options: { sha256?: string; log?: (line: string) => void; env?: NodeJS.ProcessEnv } = {}): Promise<ModelDownload> {
  const url = downloadUrl(uri, options.env);
  const file = cachedModelFile(uri, options.env);
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
  const env = options.env ?? process.env;
  const signed = s3SignedHeaders(uri, url, env);
  let response: Response;
  try {
    // A signed request is not sent on to a redirect's host (S3 redirects to a bucket's own region).
    response = await fetch(url, signed === undefined ? { redirect: 'follow' } : { headers: signed, redirect: 'manual' });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { ok: false, problem: `could not download ${url}: ${cause?.code ?? cause?.message ?? (error as Error).message}`, hint: 'check the URL and that this machine can reach it (models are downloaded when the graph is built)' };
  }
  if (!response.ok || response.body === null) {
    await response.body?.cancel();
    const denied = response.status === 401 || response.status === 403;
    const s3 = /^s3:\/\//i.test(uri);
    const hint =
      signed !== undefined && denied
        ? `the credentials in AWS_ACCESS_KEY_ID were refused for this object: check them, the region (${awsRegion(env)}; AWS_REGION sets it) and the object's permissions`
        : signed !== undefined && response.status >= 300 && response.status < 400
          ? `the bucket answered from elsewhere (HTTP ${response.status}): set AWS_REGION to the bucket's region`
          : denied && s3
            ? 'the object is not public: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_REGION) so the request is signed, or give a presigned https URL'
            : denied
              ? 'the object is not public: give a signed or presigned https URL'
              : 'check the URL';
    return {
      ok: false,
      problem: `could not download ${url}${url === uri ? '' : ` (${uri})`}${signed === undefined ? '' : ' (signed)'}: HTTP ${response.status} ${response.statusText}`.trimEnd(),
      hint,
    };
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
