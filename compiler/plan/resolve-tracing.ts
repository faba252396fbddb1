/** @module Tracing: every request is traced unless `spec.tracing.samplingRatio` says otherwise. */
import type { TracingConfig } from '../../runtime/plan/types.ts';
import type { TracingSpec } from '../spec/index.ts';
import { DEFAULT_TRACING } from './defaults.ts';

export function resolveTracing(spec: TracingSpec | undefined): TracingConfig {
  return { samplingRatio: spec?.samplingRatio ?? DEFAULT_TRACING.samplingRatio };
}
