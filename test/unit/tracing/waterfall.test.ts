/** `switchyard trace show`'s text waterfall: nesting, bars on the time line, decisions and errors, 80 columns. */
import { describe, expect, it } from 'vitest';
import { renderWaterfall } from '../../../compiler/cli/commands/trace-waterfall.ts';
import { viewOf } from '../../../runtime/engine/local/traces/view.ts';
import type { StoredSpan } from '../../../runtime/engine/local/traces/types.ts';

const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);
const TRACE = 'ab'.repeat(16);

function span(id: string, parent: string | undefined, name: string, service: string, from: number, to: number, extra: Partial<StoredSpan> = {}): StoredSpan {
  return {
    traceId: TRACE, spanId: id.padStart(16, '0'), ...(parent ? { parentSpanId: parent.padStart(16, '0') } : {}),
    name, kind: 'internal', service, startMs: T0 + from, endMs: T0 + to, status: 'unset', attributes: {}, events: [], ...extra,
  };
}

const seedTrace = () =>
  viewOf(TRACE, [
    span('1', undefined, 'POST /api/v1.0/predictions', 'orchestrator', 0, 40, { attributes: { 'switchyard.route': 'features > bandit > good-model', 'switchyard.puid': 'abc', 'http.response.status_code': 502 } }),
    span('2', '1', 'call features /transform-input', 'orchestrator', 1, 11, { attributes: { 'switchyard.cold_start': true, 'switchyard.queue_ms': 8.25, 'switchyard.replica': '1' } }),
    span('3', '2', 'POST /transform-input', 'features', 2, 10),
    span('4', '1', 'route bandit → good-model', 'orchestrator', 11, 12, {
      attributes: {
        'switchyard.router.chosen': 'good-model', 'switchyard.router.explore': false, 'switchyard.router.arms': ['weak-model', 'good-model'],
        'switchyard.router.estimates': [0.6, 0.965], 'switchyard.router.reason': 'exploit: arm 1 has the best mean reward 0.965 (260 pulls)',
      },
    }),
    span('5', '1', 'call good-model /predict', 'orchestrator', 12, 40, {
      status: 'error',
      events: [{ name: 'exception', timeMs: T0 + 40, attributes: { 'exception.message': 'node "good-model" (function "good-model") failed: onnxruntime: input "features" expected shape [N,4] but the request had [1,2] which cannot be fed to the session as is' } }],
    }),
    span('6', '5', 'POST /predict', 'good-model', 13, 39),
  ]);

describe('text waterfall', () => {
  it('fits 80 columns', () => {
    const lines = renderWaterfall(seedTrace(), { timeZone: 'UTC' });
    for (const line of lines) expect([...line].length, line).toBeLessThanOrEqual(80);
  });

  it('shows the trace, the route, nested spans with their services and durations', () => {
    const lines = renderWaterfall(seedTrace(), { timeZone: 'UTC' });
    expect(lines[0]).toBe(`trace ${TRACE}`);
    expect(lines[1]).toBe('12:00:00  40.0 ms  502 error  6 spans  1 failed  puid abc');
    expect(lines[2]).toBe('route: features → bandit → good-model');
    const row = (name: string) => lines.find((l) => l.includes(name))!;
    expect(row('POST /api/v1.0/predictions')).toMatch(/^POST \/api\/v1\.0\/predictions \[orchestrator\] +40\.0 ms  █{23}$/);
    expect(row('call features')).toMatch(/^ {2}call features \/transform-input +10\.0 ms {2}█{6}$/);
    expect(row('POST /transform-input')).toMatch(/^ {4}POST \/transform-input \[features\] +8\.00 ms {3}█{5}$/);
    expect(row('POST /predict')).toMatch(/^ {4}POST \/predict \[good-model\] +26\.0 ms {2} {7}█{15}$/);
  });

  it('writes a router\'s decision and a cold start under their spans', () => {
    const text = renderWaterfall(seedTrace(), { timeZone: 'UTC' }).join('\n');
    expect(text).toContain('    ↳ chose good-model (exploit); estimates weak-model 0.600, good-model 0.965\n    exploit: arm 1 has the best mean reward 0.965 (260 pulls)');
    expect(text).toContain('    ↳ cold start: waited 8.25 ms for replica 1');
  });

  it('marks a failed span and wraps its error message', () => {
    const lines = renderWaterfall(seedTrace(), { timeZone: 'UTC' });
    const at = lines.findIndex((l) => l.startsWith('  ✖ call good-model /predict'));
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 1]).toMatch(/^ {4}✖ node "good-model" \(function "good-model"\) failed: onnxruntime:/);
    expect(lines.slice(at + 1, at + 4).map((l) => l.trim()).join(' ')).toContain('which cannot be fed to the session as is');
    expect(lines[at + 2]).toMatch(/^ {4}\S/);
  });

  it('cuts long names with … and uses wider terminals when asked', () => {
    const view = viewOf(TRACE, [span('1', undefined, 'x'.repeat(120), 'orchestrator', 0, 1)]);
    const narrow = renderWaterfall(view).find((l) => l.startsWith('xxx'))!;
    expect(narrow).toMatch(/^x+… /);
    expect([...narrow].length).toBeLessThanOrEqual(80);
    const wide = renderWaterfall(view, { width: 160 });
    for (const line of wide) expect([...line].length).toBeLessThanOrEqual(160);
    expect(wide.find((l) => l.startsWith('xxx'))!.indexOf('…')).toBeGreaterThan(80);
  });
});
