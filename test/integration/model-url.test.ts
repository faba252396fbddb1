/**
 * Models named by URL (`onnx.path: http://…`): downloaded when the graph is built, from a real HTTP server here,
 * cached, checked against `onnx.sha256`, and served like a local file by a real model function.
 */
import { createHash } from 'node:crypto';
import { readFile, mkdtemp, rm, writeFile, stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGraph } from '../../compiler/cli/build-graph.ts';
import { compileCommand } from '../../compiler/cli/commands/compile.ts';
import { cachedModelFile, downloadModel } from '../../compiler/validate/model-download.ts';
import { startGraph, type RunningGraph } from '../helpers/graph-engine.ts';
import { switchGraphYaml } from '../helpers/switch-graph.ts';

const GOOD = path.resolve('examples/seed/models/good.onnx');
const ROWS = [[-0.9, 1.0, -1.3, -1.3], [1.0, 0.1, 1.2, 1.4]];

describe('ONNX models named by URL', () => {
  let dir: string;
  let server: http.Server;
  let base: string;
  let model: Buffer;
  let sha256: string;
  const gets: string[] = [];
  const big = Buffer.alloc(10 * 1024 * 1024, 7);
  let previousCache: string | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-model-url-'));
    previousCache = process.env.SWITCHYARD_CACHE_DIR;
    process.env.SWITCHYARD_CACHE_DIR = path.join(dir, 'cache');
    model = await readFile(GOOD);
    sha256 = createHash('sha256').update(model).digest('hex');
    server = http.createServer((req, res) => {
      gets.push(req.url ?? '');
      if (new URL(req.url ?? '/', 'http://here').pathname === '/models/good.onnx') return void res.writeHead(200, { 'content-length': model.length }).end(model);
      if (req.url === '/big.bin') return void res.writeHead(200, { 'content-length': big.length }).end(big);
      if (req.url === '/cut.bin') {
        res.writeHead(200, { 'content-length': 1000 });
        return void res.end(Buffer.alloc(10), () => res.destroy());
      }
      res.writeHead(404).end('not here');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    if (previousCache === undefined) delete process.env.SWITCHYARD_CACHE_DIR;
    else process.env.SWITCHYARD_CACHE_DIR = previousCache;
    await new Promise((resolve) => server?.close(resolve));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const graphFile = async (name: string, onnx: string) => {
    const file = path.join(dir, `${name}.yaml`);
    await writeFile(
      file,
      switchGraphYaml(name, 'local', [[true, 'local']], 'downloaded', `    downloaded:
      type: MODEL
      onnx: ${onnx}
    local:
      type: MODEL
      onnx: { path: ${GOOD} }
`),
    );
    return file;
  };

  it('downloads the model once when the graph is built, and serves what the same file serves locally', async () => {
    const logs: string[] = [];
    const file = await graphFile('from-url', `{ path: "${base}/models/good.onnx", sha256: ${sha256} }`);
    let graph: RunningGraph | undefined;
    try {
      graph = await startGraph(file);
      const downloaded = await graph.post('/api/v1.0/predictions', { data: { ndarray: ROWS } });
      const local = await graph.post('/api/v1.0/predictions', { data: { ndarray: ROWS }, meta: { tags: { local: true } } });
      expect(downloaded.status, JSON.stringify(downloaded.body)).toBe(200);
      expect(downloaded.body.meta.requestPath.downloaded).toBe('downloaded');
      expect(downloaded.body.data.ndarray).toEqual(local.body.data.ndarray);
      expect(gets.filter((g) => g === '/models/good.onnx')).toHaveLength(1);
      // A second build takes it from the cache.
      const again = await buildGraph(file, { outDir: path.join(dir, 'again'), log: (line) => logs.push(line) });
      expect(again.ok).toBe(true);
      // On Kubernetes the pod fetches it again (test/integration/model-fetch-init.test.ts runs that container).
      if (!again.ok) return;
      expect(again.plan.nodes.downloaded!.implementation).toMatchObject({ source: { url: `${base}/models/good.onnx`, sha256 } });
      const manifests = (await Promise.all(again.manifests.map((m) => readFile(path.join(again.outDir, 'manifests', m), 'utf8')))).join('\n');
      expect(manifests).toContain('name: fetch-models');
      const lines: string[] = [];
      expect(await compileCommand(file, { out: path.join(dir, 'compiled') }, { info: (l) => lines.push(l), error: (l) => lines.push(l) })).toBe(0);
      expect(lines).toContain(`model: downloaded ← ${base}/models/good.onnx (sha256 checked); on Kubernetes its pod fetches it (init container fetch-models)`);
      expect(gets.filter((g) => g === '/models/good.onnx')).toHaveLength(1);
      expect(logs).toEqual([]);
      expect((await readFile(cachedModelFile(`${base}/models/good.onnx`))).equals(model)).toBe(true);
    } finally {
      await graph?.stop();
    }
  });

  it('refuses a file whose sha256 is not the one given, and keeps no copy of it', async () => {
    const url = `${base}/models/good.onnx?v=2`;
    const built = await buildGraph(await graphFile('wrong-sha', `{ path: "${url}", sha256: ${'a'.repeat(64)} }`), { outDir: path.join(dir, 'wrong') });
    expect(built.ok).toBe(false);
    expect(built.ok ? '' : built.report).toContain(`has sha256 ${sha256}, not the ${'a'.repeat(64)} that onnx.sha256 expects`);
    expect(await stat(cachedModelFile(url)).catch(() => undefined)).toBeUndefined();
  });

  it('says why a URL cannot be downloaded', async () => {
    const built = await buildGraph(await graphFile('missing', `{ path: "${base}/models/nope.onnx" }`), { outDir: path.join(dir, 'missing') });
    expect(built.ok ? '' : built.report).toMatch(/onnx\.path: could not download http:\/\/127\.0\.0\.1:\d+\/models\/nope\.onnx: HTTP 404 Not Found/);
    const cut = await downloadModel(`${base}/cut.bin`);
    expect(cut).toMatchObject({ ok: false, problem: expect.stringMatching(/the download of .*cut\.bin broke off/) });
    expect(await stat(cachedModelFile(`${base}/cut.bin`)).catch(() => undefined)).toBeUndefined();
  });

  it('downloads s3:// from an S3-compatible endpoint (S3_ENDPOINT), path-style, and refuses a scheme it cannot fetch', async () => {
    const previous = process.env.S3_ENDPOINT;
    process.env.S3_ENDPOINT = base;
    try {
      const file = await graphFile('from-s3', `{ path: "s3://models/good.onnx", sha256: ${sha256} }`);
      const built = await buildGraph(file, { outDir: path.join(dir, 's3') });
      expect(built.ok, built.ok ? '' : built.report).toBe(true);
      if (!built.ok) return;
      expect(await readFile(built.sources.models.downloaded!)).toEqual(model);
      // On Kubernetes the pod fetches the same URL the build did.
      expect(built.plan.nodes.downloaded!.implementation).toMatchObject({ source: { url: `${base}/models/good.onnx` } });
    } finally {
      if (previous === undefined) delete process.env.S3_ENDPOINT;
      else process.env.S3_ENDPOINT = previous;
    }
    const hdfs = await buildGraph(await graphFile('from-hdfs', '{ path: "hdfs://models/good.onnx" }'), { outDir: path.join(dir, 'hdfs') });
    expect(hdfs.ok ? '' : hdfs.report).toContain('onnx.path: hdfs:// is not a scheme Switchyard downloads models from');
  });

  it('reports the progress of a large download', async () => {
    const lines: string[] = [];
    const result = await downloadModel(`${base}/big.bin`, { log: (line) => lines.push(line) });
    expect(result).toMatchObject({ ok: true, downloaded: true });
    expect(lines[0]).toBe(`downloading ${base}/big.bin (10.0 MB)`);
    expect(lines.slice(1, 4)).toEqual(['  25% of 10.0 MB', '  50% of 10.0 MB', '  75% of 10.0 MB']);
    expect(lines[4]).toMatch(/^downloaded .*big\.bin \(10\.0 MB\) in \d+\.\d s, cached at /);
  });
});
