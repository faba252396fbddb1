/** @module Whether this build has tracing that SWITCHYARD_TRACE_SAMPLING controls (the tracing-cost scenario needs it). */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

export function tracingSupport(): { available: boolean; reason: string } {
  const config = path.join(ROOT, 'runtime/tracing/config.ts');
  if (!existsSync(config)) return { available: false, reason: 'runtime/tracing/ does not exist in this build' };
  if (!readFileSync(config, 'utf8').includes('SWITCHYARD_TRACE_SAMPLING')) {
    return { available: false, reason: 'runtime/tracing/config.ts does not read SWITCHYARD_TRACE_SAMPLING' };
  }
  return { available: true, reason: 'SWITCHYARD_TRACE_SAMPLING sets the sampling ratio of every function' };
}
