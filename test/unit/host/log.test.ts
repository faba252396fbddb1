import { describe, expect, it } from 'vitest';
import { createLogger, createMemoryLogger, silentLogger } from '../../../runtime/log.ts';

const now = () => new Date('2025-01-02T03:04:05.678Z');

describe('createLogger', () => {
  it('writes one line per event: time, component, message, key=value', () => {
    const lines: string[] = [];
    const log = createLogger('scorer', (line) => lines.push(line), { now });
    log.info('ready', { port: 8080, node: 'scorer', note: 'two words', missing: undefined, ok: true, list: [1, 2] });
    log.warn('slow\nrequest', { ms: 12 });
    log.error('failed', { error: new Error('boom "x"') });
    log.debug('hidden');
    log.child('session').info('loaded');
    expect(lines).toEqual([
      '2025-01-02T03:04:05.678Z scorer ready port=8080 node=scorer note="two words" ok=true list=[1,2]',
      '2025-01-02T03:04:05.678Z scorer slow\\nrequest level=warn ms=12',
      '2025-01-02T03:04:05.678Z scorer failed level=error error="boom \\"x\\""',
      '2025-01-02T03:04:05.678Z scorer/session loaded',
    ]);
  });

  it('shows debug lines when asked, and survives a throwing sink and odd values', () => {
    const { log, lines } = createMemoryLogger('c', { now, level: 'debug' });
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    log.debug('d', { cyclic, big: 10n, nil: null });
    expect(lines).toEqual(['2025-01-02T03:04:05.678Z c d cyclic="[object Object]" big=10 nil=null']);
    const broken = createLogger('c', () => {
      throw new Error('sink down');
    });
    expect(() => broken.info('x')).not.toThrow();
    expect(() => silentLogger.child('x').error('y')).not.toThrow();
  });
});
