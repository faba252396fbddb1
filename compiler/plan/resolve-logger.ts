/** @module Payload logging: a `logger` as written → the plan's policy (mode `all` unless it says otherwise). */
import type { PayloadLoggerPolicy } from '../../runtime/plan/types.ts';
import type { LoggerSpec } from '../spec/index.ts';

export function resolveLogger(spec: LoggerSpec | undefined): PayloadLoggerPolicy | undefined {
  return spec === undefined ? undefined : { url: spec.url, mode: spec.mode ?? 'all' };
}
