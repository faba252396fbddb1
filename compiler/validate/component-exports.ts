/**
 * @module The names a component module exports, found at compile time by bundling it with esbuild
 * (without running it). A module that does not build is reported with esbuild's first error.
 */
import { build } from 'esbuild';
import type { Message } from 'esbuild';

export type ModuleExports = { ok: true; exports: string[] } | { ok: false; error: string };

function describeError(message: Message): string {
  const where = message.location ? `${message.location.file}:${message.location.line}:${message.location.column + 1}: ` : '';
  return `${where}${message.text}`;
}

/**
 * Bundles `file` (packages stay external) and reads its exports from esbuild's metafile.
 * @param workingDir error locations are written relative to it (the graph's directory).
 */
export async function moduleExports(file: string, workingDir: string): Promise<ModuleExports> {
  try {
    const result = await build({
      entryPoints: [file],
      absWorkingDir: workingDir,
      bundle: true,
      write: false,
      metafile: true,
      format: 'esm',
      platform: 'node',
      packages: 'external',
      logLevel: 'silent',
    });
    const output = Object.values(result.metafile.outputs).find((out) => out.entryPoint !== undefined);
    return { ok: true, exports: [...(output?.exports ?? [])].sort() };
  } catch (error) {
    const errors = (error as { errors?: Message[] }).errors;
    const first = errors?.[0];
    return { ok: false, error: first ? describeError(first) : (error as Error).message };
  }
}
