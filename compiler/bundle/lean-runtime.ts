/**
 * @module esbuild plugins that keep what an idle function holds in memory small (bench/: memory), without
 * changing what it does:
 *
 * - `builtinsThroughRequire`: Node built-ins and the runtime image's packages are loaded with the bundle's `require`,
 *   not ESM `import`. An ESM import of an external is hoisted to the bundle's start, so every orchestrator would
 *   load onnxruntime (about 11 MiB) for models it only runs when they are fused into it; and an ESM import of
 *   `node:http` builds its namespace, which reads the lazy `WebSocket`, `CloseEvent` and `MessageEvent` exports
 *   and so loads undici, TLS and HTTP/2 (about 13 MiB).
 * - `lazyPushgateway`: prom-client's index requires its Pushgateway (http, https, TLS, crypto) eagerly;
 *   Switchyard never pushes, so it is loaded on first use.
 * - `liteFetchClasses`: Hono's modules and Switchyard's run-time modules get `Response` and `Headers` from
 *   runtime/host/lite-fetch instead of Node's lazy globals, whose first touch loads undici. User components and
 *   other packages keep Node's own.
 */
import type { Plugin } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import path from 'node:path';

/** The namespace of the `module.exports = require(…)` modules (not files: not a bundle's source inputs). */
export const BUILTIN_NAMESPACE = 'switchyard-builtin';

/** `node:x` and `x` (and `x/sub`: `fs/promises`…) for every Node built-in, and the `externals` packages. */
export function builtinsThroughRequire(externals: readonly string[] = []): Plugin {
  const names = [...new Set([...builtinModules.map((name) => name.replace(/^node:/, '')), ...externals])];
  const escaped = names.map((name) => name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
  const filter = new RegExp(`^(node:)?(${escaped.join('|')})$`);
  return {
    name: 'switchyard-builtins-through-require',
    setup(build) {
      build.onResolve({ filter }, (args) => (args.namespace === BUILTIN_NAMESPACE ? { path: args.path, external: true } : { path: args.path, namespace: BUILTIN_NAMESPACE }));
      build.onLoad({ filter: /.*/, namespace: BUILTIN_NAMESPACE }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: 'js' }));
    },
  };
}

/** The line of prom-client's index.js that loads the Pushgateway, and what replaces it. */
export const PUSHGATEWAY_LINE = "exports.Pushgateway = require('./lib/pushgateway');";
export const LAZY_PUSHGATEWAY =
  "Object.defineProperty(exports, 'Pushgateway', { enumerable: true, configurable: true, get: () => require('./lib/pushgateway') });";

/** prom-client's index.js with a lazy Pushgateway; unchanged (and `changed: false`) when the line is not there. */
export function withLazyPushgateway(source: string): { source: string; changed: boolean } {
  if (!source.includes(PUSHGATEWAY_LINE)) return { source, changed: false };
  return { source: source.replace(PUSHGATEWAY_LINE, LAZY_PUSHGATEWAY), changed: true };
}

export function lazyPushgateway(): Plugin {
  return {
    name: 'switchyard-lazy-pushgateway',
    setup(build) {
      build.onLoad({ filter: /[\\/]node_modules[\\/]prom-client[\\/]index\.js$/ }, async (args) => {
        const { source, changed } = withLazyPushgateway(await readFile(args.path, 'utf8'));
        return changed ? { contents: source, loader: 'js', resolveDir: path.dirname(args.path) } : undefined;
      });
    },
  };
}

const FETCH_CLASSES = /\b(Response|Headers)\b/;

/**
 * Whether a module gets the lite `Response` and `Headers`: Hono's ESM build, and Switchyard's run-time code
 * (`<root>/runtime`, `<root>/functions`) but not the lite classes themselves.
 */
export function usesLiteFetch(file: string, projectRoot: string): boolean {
  const normalized = file.replaceAll('\\', '/');
  const root = projectRoot.replaceAll('\\', '/').replace(/\/$/, '');
  if (/\/node_modules\/hono\/dist\//.test(normalized)) return !normalized.includes('/hono/dist/cjs/') && normalized.endsWith('.js');
  if (normalized.includes('/node_modules/')) return false;
  if (!normalized.startsWith(`${root}/runtime/`) && !normalized.startsWith(`${root}/functions/`)) return false;
  return !normalized.startsWith(`${root}/runtime/host/lite-fetch/`) && /\.(ts|js|mjs)$/.test(normalized);
}

export function liteFetchClasses(projectRoot: string): Plugin {
  const lite = path.join(projectRoot, 'runtime', 'host', 'lite-fetch', 'index.ts');
  return {
    name: 'switchyard-lite-fetch-classes',
    setup(build) {
      build.onLoad({ filter: /\.(ts|js|mjs)$/ }, async (args) => {
        if (args.namespace !== 'file' || !usesLiteFetch(args.path, projectRoot)) return undefined;
        const source = await readFile(args.path, 'utf8');
        if (!FETCH_CLASSES.test(source)) return undefined;
        return {
          contents: `import { Response, Headers } from ${JSON.stringify(lite)};\n${source}`,
          loader: args.path.endsWith('.ts') ? 'ts' : 'js',
          resolveDir: path.dirname(args.path),
        };
      });
    },
  };
}
