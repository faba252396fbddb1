import { describe, expect, it } from 'vitest';
import { parseStateConfig } from '../../../runtime/state/parse-state-config.ts';

describe('parseStateConfig (SWITCHYARD_STATE)', () => {
  it.each([
    ['redis://redis.switchyard.svc:6379', { kind: 'redis', url: 'redis://redis.switchyard.svc:6379' }],
    ['  rediss://:secret@redis:6380/2\n', { kind: 'redis', url: 'rediss://:secret@redis:6380/2' }],
    ['file:/var/lib/switchyard/seed.json', { kind: 'file', path: '/var/lib/switchyard/seed.json' }],
    ['memory', { kind: 'memory' }],
    ['{"kind":"redis","url":"redis://127.0.0.1:6379"}', { kind: 'redis', url: 'redis://127.0.0.1:6379' }],
    ['{"kind":"file","path":"/tmp/s.json"}', { kind: 'file', path: '/tmp/s.json' }],
    ['{"kind":"memory"}', { kind: 'memory' }],
  ])('reads %j', (text, expected) => {
    expect(parseStateConfig(text, 'SWITCHYARD_STATE')).toEqual(expected);
  });

  it.each([
    ['mongodb://db:27017', /SWITCHYARD_STATE is not a state store setting: received "mongodb:\/\/db:27017"; expected redis:\/\//],
    ['redis:/oops:pass@x', /not a state store setting/],
    ['file:', /not a state store setting/],
    ['{"kind":"redis"', /SWITCHYARD_STATE is not valid JSON/],
    ['{"kind":"redis","url":"http://x"}', /"url" must be a redis:\/\/ or rediss:\/\/ URL/],
    ['{"kind":"file"}', /"path" must be a non-empty string/],
    ['{"kind":"postgres"}', /"kind" is "postgres"; it must be "memory", "file" or "redis"/],
  ])('rejects %j, naming the variable and what to write', (text, message) => {
    expect(() => parseStateConfig(text, 'SWITCHYARD_STATE')).toThrow(message);
  });

  it('never repeats a password in its error', () => {
    expect(() => parseStateConfig('redis:/user:hunter2@host', 'SWITCHYARD_STATE')).toThrow(/^(?!.*hunter2)/s);
  });
});
