/**
 * @module Makes the native addons that bundles keep external resolvable from a build directory.
 *
 * Bundles import `onnxruntime-node` at run time. A build directory outside this project would not find it, so
 * the compiler links `<out>/node_modules/<addon>` to the installed package (on Kubernetes the runtime image
 * provides it instead).
 */
import { lstat, mkdir, readlink, rm, symlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { NATIVE_EXTERNALS } from '../../esbuild.config.mjs';

const require = createRequire(import.meta.url);

export async function linkNativeModules(outDir: string): Promise<void> {
  for (const name of NATIVE_EXTERNALS) {
    const target = path.dirname(require.resolve(`${name}/package.json`));
    const link = path.join(outDir, 'node_modules', name);
    await mkdir(path.dirname(link), { recursive: true });
    const existing = await lstat(link).catch(() => undefined);
    if (existing?.isSymbolicLink() && (await readlink(link)) === target) continue;
    if (existing) await rm(link, { recursive: true, force: true });
    await symlink(target, link, 'dir');
  }
}
