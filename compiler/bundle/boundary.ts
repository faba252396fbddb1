/**
 * @module The build-time/run-time boundary, checked on every bundle's esbuild metafile.
 *
 * Nothing under compiler/, and no build-time-only package, may end up inside a function bundle.
 */

const FORBIDDEN_PACKAGES = ['esbuild', '@kubernetes/client-node', 'yaml', 'commander', 'typescript', 'vitest'];

/** Returns the metafile inputs that must not be in a function bundle. */
export function boundaryViolations(inputs: string[]): string[] {
  return inputs.filter((input) => {
    const normalized = input.replaceAll('\\', '/');
    if (normalized.startsWith('compiler/') || normalized.includes('/compiler/') && !normalized.includes('node_modules')) return true;
    return FORBIDDEN_PACKAGES.some((pkg) => normalized.includes(`node_modules/${pkg}/`));
  });
}
