/**
 * @module What the `fetch-models` init container of a model function runs (`node --input-type=module -e <this>`),
 * when its models are named by URL: KServe's storage initializer, for http(s).
 *
 * It reads `SWITCHYARD_MODEL_SOURCES` (`[{url, file, sha256?}]`) and writes each model to
 * `$SWITCHYARD_MODEL_DIR/<file>`, through a `.partial` file renamed into place and, when `sha256` is given, only
 * once the content matches. Any failure exits 1 with one line that says what went wrong, so the pod's init
 * container reports it and Knative retries. It runs in the runtime image (Node 24: `fetch` and `crypto`), with
 * nothing of the project's beside it, so it imports only Node's own modules.
 */
export const MODEL_FETCH_SCRIPT = `
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
const dir = process.env.SWITCHYARD_MODEL_DIR;
const sources = JSON.parse(process.env.SWITCHYARD_MODEL_SOURCES || '[]');
const fail = (message) => { console.error('fetch-models: ' + message); process.exit(1); };
if (!dir) fail('SWITCHYARD_MODEL_DIR is not set');
await mkdir(dir, { recursive: true });
for (const { url, file, sha256 } of sources) {
  const started = Date.now();
  let response;
  try { response = await fetch(url, { redirect: 'follow' }); } catch (error) { fail('could not download ' + url + ': ' + (error.cause?.code ?? error.message)); }
  if (!response.ok || !response.body) fail('could not download ' + url + ': HTTP ' + response.status);
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
