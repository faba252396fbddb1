/**
 * Bundles keep the runtime image's packages external (esbuild.config.mjs): the image's Dockerfile must install
 * each of them, at the version the compiler bundled against (the one installed here, from package-lock.json), or
 * a function that runs fine under `switchyard up` would fail to load, or behave differently, on Kubernetes.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { RUNTIME_IMAGE_PACKAGES } from '../../../esbuild.config.mjs';
import { MODEL_FETCH_PACKAGES } from '../../../compiler/render/model-fetch-script.ts';

const require = createRequire(import.meta.url);

describe('the runtime image', () => {
  it('installs every package bundles keep external and the model fetcher loads, at the version installed here, and nothing else', async () => {
    const dockerfile = await readFile('manifests/runtime-image/Dockerfile', 'utf8');
    const install = dockerfile.match(/RUN npm install ([^&]*)/s)?.[1] ?? '';
    const pinned = Object.fromEntries([...install.matchAll(/(?:^|\s)((?:@[\w.-]+\/)?[\w.-]+)@(\d[\w.-]*)/g)].map((m) => [m[1]!, m[2]!]));
    const installed = Object.fromEntries([...RUNTIME_IMAGE_PACKAGES, ...MODEL_FETCH_PACKAGES].map((name) => [name, (require(`${name}/package.json`) as { version: string }).version]));
    expect(pinned).toEqual(installed);
  });
});
