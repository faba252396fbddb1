/**
 * @module Reads a state store setting written as text: what the orchestrator finds in `SWITCHYARD_STATE`.
 *
 * Two forms are accepted, so that a Kubernetes Secret can hold a bare URL:
 * - the plan's JSON: `{"kind": "redis", "url": "redis://…"}`, `{"kind": "file", "path": "…"}`, `{"kind": "memory"}`;
 * - the command line's short form: `redis://…` or `rediss://…`, `file:PATH`, `memory`.
 */
import type { StateStoreConfig } from '../plan/types.ts';

const EXPECTED = 'expected redis://HOST:PORT, rediss://…, file:PATH, memory, or the JSON {"kind": "redis", "url": "…"}';

/** The config `text` describes; throws an Error naming `source` (e.g. the variable) and what was expected. */
export function parseStateConfig(text: string, source: string): StateStoreConfig {
  const value = text.trim();
  if (value.startsWith('{')) return fromJson(value, source);
  if (value === 'memory') return { kind: 'memory' };
  if (/^rediss?:\/\/\S+$/.test(value)) return { kind: 'redis', url: value };
  if (value.startsWith('file:') && value.length > 'file:'.length) return { kind: 'file', path: value.slice('file:'.length) };
  // Whatever came before an "@" may be a password: never repeat it.
  const shown = JSON.stringify(value.replace(/^([a-z][a-z0-9+.-]*:\/*)[^@]*@/i, '$1***@').slice(0, 80));
  throw new Error(`${source} is not a state store setting: received ${shown}; ${EXPECTED}`);
}

function fromJson(text: string, source: string): StateStoreConfig {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source} is not valid JSON (${(error as Error).message}); ${EXPECTED}`);
  }
  const config = doc as Partial<Record<'kind' | 'url' | 'path', unknown>>;
  if (config.kind === 'memory') return { kind: 'memory' };
  if (config.kind === 'file' && typeof config.path === 'string' && config.path !== '') return { kind: 'file', path: config.path };
  if (config.kind === 'redis' && typeof config.url === 'string' && /^rediss?:\/\/\S+$/.test(config.url)) return { kind: 'redis', url: config.url };
  const kind = JSON.stringify(config.kind ?? null);
  const what =
    config.kind === 'file'
      ? '"path" must be a non-empty string'
      : config.kind === 'redis'
        ? '"url" must be a redis:// or rediss:// URL'
        : `"kind" is ${kind}; it must be "memory", "file" or "redis"`;
  throw new Error(`${source}: ${what}; ${EXPECTED}`);
}
