/** @module Parsing of CLI flag values, with errors that name the flag and say what to write. */
import path from 'node:path';
import type { StateStoreConfig } from '../../runtime/plan/types.ts';
import { parseDuration } from '../spec/index.ts';

export function parseDurationFlag(flag: string, value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined) throw new Error(`${flag} takes a duration such as 500ms, 6s, 2m or 1h; received "${value}"`);
  return ms;
}

export function parseStateFlag(value: string): StateStoreConfig {
  if (value === 'memory') return { kind: 'memory' };
  if (value.startsWith('redis://') || value.startsWith('rediss://')) return { kind: 'redis', url: value };
  if (value.startsWith('file:')) return { kind: 'file', path: path.resolve(value.slice('file:'.length)) };
  throw new Error(`--state takes memory, file:PATH or redis://HOST:PORT; received "${value}"`);
}
