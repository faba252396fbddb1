/**
 * esbuild options shared by every function bundle (compiler/bundle extends them per function).
 *
 * - One self-contained ESM file per function, for Node 22+ (compiler/bundle/lean-runtime.ts keeps it lean in memory).
 * - The runtime image's packages stay external, resolved at run time (a `node_modules` link next to the local
 *   build, the runtime image's own install on Kubernetes): onnxruntime-node, a native addon, and gRPC (grpc-js,
 *   proto-loader, protobufjs: about 390 KiB that would take an orchestrator with a gRPC remote node, or the gRPC
 *   front end, close to a ConfigMap's 1 MiB).
 * - CommonJS dependencies inside an ESM bundle need `require`, `__filename` and `__dirname`: the banner
 *   provides them.
 * - No timestamps, no absolute paths (absWorkingDir is the project root): compiling twice gives the same bytes.
 */
export const RUNTIME_IMAGE_PACKAGES = ['onnxruntime-node', '@grpc/grpc-js', '@grpc/proto-loader', 'protobufjs'];

export const functionBuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  external: RUNTIME_IMAGE_PACKAGES,
  legalComments: 'none',
  // ASCII only (other characters escaped): V8 keeps a bundle's source in memory, as one byte per character when
  // every character fits in Latin-1 and two bytes otherwise; a few "…" in messages cost about 1 MiB per idle replica.
  charset: 'ascii',
  logLevel: 'silent',
  metafile: true,
  treeShaking: true,
  // Bundles ship in Kubernetes ConfigMaps (1 MiB at most): minify. No `keepNames`: it re-defines the `name` of
  // every function and class as it is created, closures made per request included, which cost about a tenth of
  // a function's CPU per request (bench/: hop-overhead); errors name their node, field and file instead.
  minify: true,
  banner: {
    js: [
      "import { createRequire as __switchyardCreateRequire } from 'node:module';",
      "import { fileURLToPath as __switchyardFileURLToPath } from 'node:url';",
      "import { dirname as __switchyardDirname } from 'node:path';",
      'const require = __switchyardCreateRequire(import.meta.url);',
      'const __filename = __switchyardFileURLToPath(import.meta.url);',
      'const __dirname = __switchyardDirname(__filename);',
    ].join('\n'),
  },
};
