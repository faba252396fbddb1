/**
 * @module What the `fetch-models` init container of a model function runs (`node --input-type=module -e <this>`),
 * when its models are named by URL: KServe's storage initializer, for http(s).
 *
 * It reads `SWITCHYARD_MODEL_SOURCES` (`[{url, file, sha256?, s3?}]`) and writes each model to
 * `$SWITCHYARD_MODEL_DIR/<file>`, through a `.partial` file renamed into place and, when `sha256` is given, only
 * once the content matches. An `s3` source's request is signed (SigV4) when the container has AWS credentials
 * (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `AWS_REGION`, from `onnx.credentialsSecret`),
 * as compiler/validate/model-download.ts signs it at build time. Any failure exits 1 with one line that says what
 * went wrong, so the pod's init container reports it and Knative retries. It runs in the runtime image (Node 24:
 * `fetch` and `crypto`), with nothing of the project's beside it: it imports Node's own modules, and the image's
 * `aws4` (`MODEL_FETCH_PACKAGES`, resolved from the working directory, the image's /opt/switchyard) only to sign.
 */

/** Packages the script loads from the runtime image (its Dockerfile installs them). */
export const MODEL_FETCH_PACKAGES = ['aws4'] as const;

export const MODEL_FETCH_SCRIPT = `
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { createRequire } from 'node:module';
import { mkdir, rename, rm } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
const dir = process.env.SWITCHYARD_MODEL_DIR;
const sources = JSON.parse(process.env.SWITCHYARD_MODEL_SOURCES || '[]');
const fail = (message) => { console.error('fetch-models: ' + message); process.exit(1); };
if (!dir) fail('SWITCHYARD_MODEL_DIR is not set');
await mkdir(dir, { recursive: true });
const env = process.env;
const credentials = env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY ? { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) } : undefined;
const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1';
const signed = (url) => {
  const target = new URL(url);
  const headers = createRequire(process.cwd() + '/')('aws4').sign({ host: target.host, path: target.pathname + target.search, service: 's3', region, method: 'GET', headers: {} }, credentials).headers;
  delete headers.Host;
  return headers;
};
for (const { url, file, sha256, s3 } of sources) {
  const started = Date.now();
  const sign = s3 === true && credentials !== undefined;
  let response;
  try { response = await fetch(url, sign ? { headers: signed(url), redirect: 'manual' } : { redirect: 'follow' }); } catch (error) { fail('could not download ' + url + ': ' + (error.cause?.code ?? error.message)); }
  if (!response.ok || !response.body) fail('could not download ' + url + (sign ? ' (signed, region ' + region + ')' : '') + ': HTTP ' + response.status + (response.status === 403 && s3 && !sign ? ' (no AWS credentials: set onnx.credentialsSecret)' : ''));
  const target = dir + '/' + file;
  const partial = target + '.partial';
  const hash = createHash('sha256');
  let bytes = 0;
  const count = new Transform({ transform(chunk, _encoding, done) { hash.update(chunk); bytes += chunk.length; done(null, chunk); } });
  try { await pipeline(Readable.fromWeb(response.body), count, createWriteStream(partial)); } catch (error) { await rm(partial, { force: true }); fail('the download of ' + url + ' broke off: ' + error.message); }
  const digest = hash.digest('hex');
  if (sha256 && digest !== sha256) { await rm(partial, { force: true }); fail(url + ' has sha256 ' + digest + ', not ' + sha256); }
  await rename(partial, target);
  console.log('fetch-models: ' + url + ' -> ' + target + ' (' + bytes + ' bytes, ' + (Date.now() - started) + ' ms)');
}
`;
