/**
 * @module What a function's tracing does, decided from its environment and the plan: pure, so it is tested exactly.
 *
 * Sampling, first match wins: `SWITCHYARD_TRACE_SAMPLING` (a ratio 0..1), then the standard `OTEL_TRACES_SAMPLER`
 * (+ `OTEL_TRACES_SAMPLER_ARG`), then the plan's `tracing.samplingRatio` (default 1). A ratio sampler is parent-based
 * unless the standard variable says otherwise, so a request's functions follow the orchestrator's decision.
 *
 * Export: to the local engine's receiver when `SWITCHYARD_TRACES_ENDPOINT` is set (the engine sets it; span batches,
 * ./span-batch.ts, which only that receiver reads), and over OTLP/HTTP (JSON) to
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` / `OTEL_EXPORTER_OTLP_ENDPOINT` when the user sets one
 * (both at once under `switchyard up`). `OTEL_TRACES_EXPORTER=none` turns the user's exporter off;
 * `OTEL_SDK_DISABLED=true` turns tracing off. `OTEL_SERVICE_NAME` and `OTEL_RESOURCE_ATTRIBUTES` name the service.
 */

export type Env = Record<string, string | undefined>;

export interface SamplerSettings {
  /** Follow a sampled/unsampled parent; the ratio applies to new traces only. */
  parentBased: boolean;
  /** Fraction 0..1 of new traces recorded. */
  ratio: number;
}

export interface ExporterSettings {
  /** `engine`: the local engine's receiver; `otlp`: the user's collector. */
  name: 'engine' | 'otlp';
  /** Full URL of the traces endpoint; undefined lets the exporter read the OTEL_EXPORTER_OTLP_* variables. */
  url?: string;
  scheduledDelayMs: number;
  maxQueueSize: number;
  maxExportBatchSize: number;
  exportTimeoutMs: number;
}

export interface TracingSettings {
  enabled: boolean;
  serviceName: string;
  resource: Record<string, string>;
  sampler: SamplerSettings;
  exporters: ExporterSettings[];
}

export interface TracingInputs {
  /** The function's name: the default `service.name`. */
  service: string;
  graph?: string;
  env: Env;
  /** The plan's `tracing.samplingRatio` (only the orchestrator knows it; functions follow their parent). */
  samplingRatio?: number;
}

/** The engine's receiver is on loopback: export to it often, so `switchyard trace list` sees a request at once. */
const ENGINE_DELAY_MS = 100;

export function tracingSettings({ service, graph, env, samplingRatio = 1 }: TracingInputs): { settings: TracingSettings; warnings: string[] } {
  const warnings: string[] = [];
  const resource: Record<string, string> = { ...parseKeyValues(env.OTEL_RESOURCE_ATTRIBUTES, 'OTEL_RESOURCE_ATTRIBUTES', warnings) };
  if (graph !== undefined) resource['service.namespace'] ??= graph;
  const serviceName = nonEmpty(env.OTEL_SERVICE_NAME) ?? service;
  resource['service.name'] = serviceName;

  const enabled = (env.OTEL_SDK_DISABLED ?? '').trim().toLowerCase() !== 'true';
  const sampler = samplerOf(env, samplingRatio, warnings);

  const batch = {
    scheduledDelayMs: intEnv(env, 'OTEL_BSP_SCHEDULE_DELAY', 5000, warnings),
    maxQueueSize: intEnv(env, 'OTEL_BSP_MAX_QUEUE_SIZE', 2048, warnings),
    maxExportBatchSize: intEnv(env, 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE', 512, warnings),
    exportTimeoutMs: intEnv(env, 'OTEL_BSP_EXPORT_TIMEOUT', 30_000, warnings),
  };
  const exporters: ExporterSettings[] = [];
  const engine = nonEmpty(env.SWITCHYARD_TRACES_ENDPOINT);
  if (engine !== undefined) exporters.push({ name: 'engine', url: engine, ...batch, scheduledDelayMs: ENGINE_DELAY_MS });

  const wanted = (nonEmpty(env.OTEL_TRACES_EXPORTER) ?? 'otlp').split(',').map((s) => s.trim().toLowerCase());
  for (const name of wanted) {
    if (name !== 'otlp' && name !== 'none') warnings.push(`OTEL_TRACES_EXPORTER: "${name}" is not supported; use otlp or none`);
  }
  const userEndpoint = nonEmpty(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) ?? nonEmpty(env.OTEL_EXPORTER_OTLP_ENDPOINT);
  if (wanted.includes('otlp') && !wanted.includes('none') && userEndpoint !== undefined) {
    const protocol = nonEmpty(env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL) ?? nonEmpty(env.OTEL_EXPORTER_OTLP_PROTOCOL);
    if (protocol !== undefined && protocol !== 'http/json' && protocol !== 'http/protobuf') {
      warnings.push(`OTEL_EXPORTER_OTLP_PROTOCOL: "${protocol}" is not supported; spans are sent as OTLP/HTTP JSON (collectors and Jaeger accept it on the same /v1/traces path)`);
    }
    // No url: the exporter reads OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT, _HEADERS, _TIMEOUT, _COMPRESSION itself.
    exporters.push({ name: 'otlp', ...batch });
  }
  return { settings: { enabled, serviceName, resource, sampler, exporters }, warnings };
}

function samplerOf(env: Env, planRatio: number, warnings: string[]): SamplerSettings {
  const override = nonEmpty(env.SWITCHYARD_TRACE_SAMPLING);
  if (override !== undefined) {
    const ratio = ratioOf(override);
    if (ratio !== undefined) return { parentBased: true, ratio };
    warnings.push(`SWITCHYARD_TRACE_SAMPLING: expected a number from 0 to 1, received "${override}"; ignored`);
  }
  const standard = nonEmpty(env.OTEL_TRACES_SAMPLER)?.toLowerCase();
  if (standard !== undefined) {
    const arg = nonEmpty(env.OTEL_TRACES_SAMPLER_ARG);
    const argRatio = arg === undefined ? 1 : ratioOf(arg);
    if (arg !== undefined && argRatio === undefined) warnings.push(`OTEL_TRACES_SAMPLER_ARG: expected a number from 0 to 1, received "${arg}"; using 1`);
    switch (standard) {
      case 'always_on': return { parentBased: false, ratio: 1 };
      case 'always_off': return { parentBased: false, ratio: 0 };
      case 'traceidratio': return { parentBased: false, ratio: argRatio ?? 1 };
      case 'parentbased_always_on': return { parentBased: true, ratio: 1 };
      case 'parentbased_always_off': return { parentBased: true, ratio: 0 };
      case 'parentbased_traceidratio': return { parentBased: true, ratio: argRatio ?? 1 };
      default:
        warnings.push(`OTEL_TRACES_SAMPLER: "${standard}" is not supported; use always_on, always_off, traceidratio or their parentbased_ forms`);
    }
  }
  return { parentBased: true, ratio: Math.min(1, Math.max(0, planRatio)) };
}

function ratioOf(text: string): number | undefined {
  const value = Number(text);
  return text.trim() !== '' && Number.isFinite(value) && value >= 0 && value <= 1 ? value : undefined;
}

function intEnv(env: Env, name: string, fallback: number, warnings: string[]): number {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (Number.isInteger(value) && value > 0) return value;
  warnings.push(`${name}: expected a positive integer, received "${raw}"; using ${fallback}`);
  return fallback;
}

/** `key1=value1,key2=value2`, values percent-decoded, as OTEL_RESOURCE_ATTRIBUTES is written. */
function parseKeyValues(raw: string | undefined, name: string, warnings: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of (raw ?? '').split(',')) {
    if (pair.trim() === '') continue;
    const index = pair.indexOf('=');
    if (index <= 0) {
      warnings.push(`${name}: "${pair}" is not key=value; ignored`);
      continue;
    }
    try {
      out[pair.slice(0, index).trim()] = decodeURIComponent(pair.slice(index + 1).trim());
    } catch {
      warnings.push(`${name}: the value of "${pair.slice(0, index).trim()}" is not valid percent-encoding; ignored`);
    }
  }
  return out;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
