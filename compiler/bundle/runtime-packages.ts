/**
 * @module Makes the packages that bundles keep external (the runtime image's: onnxruntime-node and gRPC's)
 * resolvable from a build directory.
 *
 * Bundles import them at run time. A build directory outside this project would not find them, so the compiler
 * links `<out>/node_modules/<package>` to the installed package (on Kubernetes the runtime image provides them
 * instead: manifests/runtime-image/Dockerfile installs the same versions).
 */
import { lstat, mkdir, readlink, rm, symlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { RUNTIME_IMAGE_PACKAGES } from '../../esbuild.config.mjs';

const require = createRequire(import.meta.url);

export async function linkRuntimePackages(outDir: string): Promise<void> {
  for (const name of RUNTIME_IMAGE_PACKAGES) {
    const target = path.dirname(require.resolve(`${name}/package.json`));
    const link = path.join(outDir, 'node_modules', name);
    await mkdir(path.dirname(link), { recursive: true });
    const existing = await lstat(link).catch(() => undefined);
    if (existing?.isSymbolicLink() && (await readlink(link)) === target) continue;
    if (existing) await rm(link, { recursive: true, force: true });
    await symlink(target, link, 'dir');
  }
}
