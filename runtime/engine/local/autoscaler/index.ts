/** @module The local engine's autoscaler with Knative's KPA semantics: collect, window, decide, act. */
export { TimedBuckets, TimeWindow, type TimedBucketsOptions } from './window.ts';
export {
  ConcurrencyCollector,
  KNATIVE_WINDOWS,
  SAMPLE_MS,
  windowsOf,
  type CollectorOptions,
  type ConcurrencyAverages,
  type ConcurrencyWindows,
} from './collector.ts';
export {
  applyBounds,
  decide,
  KNATIVE_DECIDER_DEFAULTS,
  metricTarget,
  newDeciderState,
  type DeciderInput,
  type DeciderOptions,
  type DeciderResult,
  type DeciderState,
} from './decider.ts';
export {
  ScaleController,
  type ConcurrencySource,
  type ScaleControllerOptions,
  type ScaleDecision,
  type ScaleListener,
  type ScaleReason,
} from './scaler.ts';
export { MultiScaler, type MultiScalerOptions } from './multi-scaler.ts';
