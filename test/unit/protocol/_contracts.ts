/** @module Reading the shared contract examples (`$SWITCHYARD_CONTRACTS_DIR`, else `<repo>/../shared/contracts`). */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

export function contractsDir(): string {
  const fromEnv = process.env['SWITCHYARD_CONTRACTS_DIR'];
  return fromEnv !== undefined && fromEnv !== '' ? path.resolve(fromEnv) : path.resolve(import.meta.dirname, '..', '..', '..', '..', 'shared', 'contracts');
}

/** `[file name, parsed JSON]` of every `.json` file in `examples/<group>`. */
export function examples(group: 'seldon' | 'v2'): Array<[string, unknown]> {
  const dir = path.join(contractsDir(), 'examples', group);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => [f, JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as unknown]);
}

export function example(group: 'seldon' | 'v2', file: string): unknown {
  return JSON.parse(readFileSync(path.join(contractsDir(), 'examples', group, file), 'utf8')) as unknown;
}
