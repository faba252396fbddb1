/** What a function's tracing does, from its environment and the plan: sampling precedence, exporters, resource. */
import { describe, expect, it } from 'vitest';
import { tracingSettings } from '../../../runtime/tracing/config.ts';

const settings = (env: Record<string, string>, samplingRatio?: number) =>
  tracingSettings({ service: 'features', graph: 'seed', env, ...(samplingRatio === undefined ? {} : { samplingRatio }) });

describe('tracing settings', () => {
  it('defaults: every request, parent-based, no exporter, service named after the function', () => {
    const { settings: s, warnings } = settings({});
    expect(s).toMatchObject({ enabled: true, serviceName: 'features', sampler: { parentBased: true, ratio: 1 }, exporters: [] });
    expect(s.resource).toEqual({ 'service.name': 'features', 'service.namespace': 'seed' });
    expect(warnings).toEqual([]);
  });

  it('takes the plan\'s ratio, then OTEL_TRACES_SAMPLER, then SWITCHYARD_TRACE_SAMPLING', () => {
    expect(settings({}, 0.25).settings.sampler).toEqual({ parentBased: true, ratio: 0.25 });
    expect(settings({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.5' }, 0.25).settings.sampler).toEqual({ parentBased: false, ratio: 0.5 });
    expect(settings({ OTEL_TRACES_SAMPLER: 'parentbased_always_off' }, 1).settings.sampler).toEqual({ parentBased: true, ratio: 0 });
    expect(settings({ OTEL_TRACES_SAMPLER: 'always_on', SWITCHYARD_TRACE_SAMPLING: '0' }, 1).settings.sampler).toEqual({ parentBased: true, ratio: 0 });
  });

  it('warns about, and ignores, values it cannot use', () => {
    const { settings: s, warnings } = settings({ SWITCHYARD_TRACE_SAMPLING: 'half', OTEL_TRACES_SAMPLER: 'jaeger_remote', OTEL_BSP_SCHEDULE_DELAY: '-5', OTEL_RESOURCE_ATTRIBUTES: 'team=ml,broken' }, 0.5);
    expect(s.sampler).toEqual({ parentBased: true, ratio: 0.5 });
    expect(s.resource.team).toBe('ml');
    expect(warnings).toEqual([
      'OTEL_RESOURCE_ATTRIBUTES: "broken" is not key=value; ignored',
      'SWITCHYARD_TRACE_SAMPLING: expected a number from 0 to 1, received "half"; ignored',
      'OTEL_TRACES_SAMPLER: "jaeger_remote" is not supported; use always_on, always_off, traceidratio or their parentbased_ forms',
      'OTEL_BSP_SCHEDULE_DELAY: expected a positive integer, received "-5"; using 5000',
    ]);
  });

  it('exports to the local engine, and also to the user\'s collector when one is set', () => {
    const engineOnly = settings({ SWITCHYARD_TRACES_ENDPOINT: 'http://127.0.0.1:8080/v1/traces' }).settings.exporters;
    expect(engineOnly).toEqual([expect.objectContaining({ name: 'engine', url: 'http://127.0.0.1:8080/v1/traces', scheduledDelayMs: 100 })]);
    const both = settings({ SWITCHYARD_TRACES_ENDPOINT: 'http://127.0.0.1:8080/v1/traces', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_BSP_SCHEDULE_DELAY: '1000' }).settings.exporters;
    expect(both.map((e) => e.name)).toEqual(['engine', 'otlp']);
    // The user's exporter reads OTEL_EXPORTER_OTLP_* itself (endpoint, headers, timeout): no url is forced on it.
    expect(both[1]).toEqual(expect.objectContaining({ name: 'otlp', scheduledDelayMs: 1000 }));
    expect(both[1]!.url).toBeUndefined();
    expect(settings({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces', OTEL_TRACES_EXPORTER: 'none' }).settings.exporters).toEqual([]);
  });

  it('warns that gRPC export is not available (OTLP/HTTP JSON is sent instead)', () => {
    const { settings: s, warnings } = settings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4317', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' });
    expect(s.exporters.map((e) => e.name)).toEqual(['otlp']);
    expect(warnings[0]).toMatch(/OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" is not supported/);
  });

  it('names the service from OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES; OTEL_SDK_DISABLED turns it all off', () => {
    const { settings: s } = settings({ OTEL_SERVICE_NAME: 'iris-features', OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=dev,service.namespace=prod%20ml' });
    expect(s.resource).toEqual({ 'service.name': 'iris-features', 'service.namespace': 'prod ml', 'deployment.environment': 'dev' });
    expect(settings({ OTEL_SDK_DISABLED: 'TRUE' }).settings.enabled).toBe(false);
  });
});
