/**
 * The esbuild plugins that keep an idle function small: built-ins through `require`, prom-client's Pushgateway on
 * demand, and which modules get the lite Fetch classes. (test/integration/lean-bundles.test.ts runs the result.)
 */
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinsThroughRequire, LAZY_PUSHGATEWAY, liteFetchClasses, PUSHGATEWAY_LINE, usesLiteFetch, withLazyPushgateway } from '../../../compiler/bundle/lean-runtime.ts';
import { PROJECT_ROOT } from '../../../compiler/bundle/index.ts';

const require = createRequire(import.meta.url);

describe('withLazyPushgateway', () => {
  it("rewrites the installed prom-client's index so the Pushgateway (and https, TLS) loads on first use only", async () => {
    const file = require.resolve('prom-client');
    const { source, changed } = withLazyPushgateway(await readFile(file, 'utf8'));
    // A prom-client upgrade that moves this line fails here, not silently in the memory benchmark.
    expect(changed).toBe(true);
    expect(source).not.toContain(PUSHGATEWAY_LINE);
    expect(source).toContain(LAZY_PUSHGATEWAY);

    const required: string[] = [];
    const realRequire = createRequire(file);
    const tracking = (id: string) => {
      required.push(id);
      return realRequire(id) as unknown;
    };
    const module = { exports: {} as Record<string, unknown> };
    new Function('exports', 'require', 'module', source)(module.exports, tracking, module);
    expect(required).not.toContain('./lib/pushgateway');
    expect(Object.keys(module.exports)).toContain('Pushgateway');
    expect(module.exports.Pushgateway).toBe(realRequire('./lib/pushgateway'));
    expect(required).toContain('./lib/pushgateway');
  });

  it('leaves a source without that line alone', () => {
    expect(withLazyPushgateway('exports.Counter = 1;')).toEqual({ source: 'exports.Counter = 1;', changed: false });
  });
});

describe('usesLiteFetch', () => {
  const root = '/srv/switchyard';
  it.each([
    ['/srv/switchyard/node_modules/hono/dist/context.js', true],
    ['/srv/switchyard/node_modules/hono/dist/cjs/context.js', false],
    ['/srv/switchyard/node_modules/hono/dist/types/context.d.ts', false],
    ['/srv/switchyard/runtime/orchestrator/node-client.ts', true],
    ['/srv/switchyard/functions/component/index.ts', true],
    ['/srv/switchyard/runtime/host/lite-fetch/response.ts', false],
    ['/srv/switchyard/examples/seed/components/features.ts', false],
    ['/home/me/graph/components/my-component.ts', false],
    ['/srv/switchyard/node_modules/@opentelemetry/core/build/esm/index.js', false],
  ])('%s → %s', (file, expected) => {
    expect(usesLiteFetch(file, root)).toBe(expected);
  });

  it('takes Windows paths too', () => {
    expect(usesLiteFetch('C:\\sy\\runtime\\host\\app.ts', 'C:\\sy')).toBe(true);
    expect(usesLiteFetch('C:\\sy\\node_modules\\hono\\dist\\hono-base.js', 'C:\\sy')).toBe(true);
  });
});

describe('the plugins in a build', () => {
  it('load built-ins and the runtime image packages with require, and give run-time modules the lite Response and Headers', async () => {
    const entry = [
      "import { createServer } from 'node:http';",
      "import * as fs from 'fs';",
      "import { pipeline } from 'node:stream/promises';",
      "import * as ort from 'onnxruntime-node';",
      "export const used = [createServer, fs.readFileSync, pipeline, ort, import('zlib')];",
    ].join('\n');
    const result = await build({
      stdin: { contents: entry, resolveDir: PROJECT_ROOT, sourcefile: 'entry.ts', loader: 'ts' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      write: false,
      external: ['onnxruntime-node'],
      plugins: [builtinsThroughRequire(['onnxruntime-node'])],
    });
    const out = result.outputFiles[0]!.text;
    expect(out).not.toMatch(/^\s*import\b/m);
    expect(out).not.toMatch(/\bimport\(\s*"zlib"\s*\)/);
    for (const id of ['node:http', 'fs', 'node:stream/promises', 'onnxruntime-node', 'zlib']) expect(out).toContain(`require(${JSON.stringify(id)})`);

    const lite = await build({
      entryPoints: [path.join(PROJECT_ROOT, 'runtime/host/v2-io.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      write: false,
      metafile: true,
      packages: 'external',
      plugins: [liteFetchClasses(PROJECT_ROOT)],
    });
    expect(Object.keys(lite.metafile.inputs)).toContain('runtime/host/lite-fetch/response.ts');
  });
});
