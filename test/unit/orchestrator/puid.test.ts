import { describe, expect, it } from 'vitest';
import { newPuid } from '../../../runtime/orchestrator/puid.ts';

describe('newPuid', () => {
  it('gives 26 lowercase base-32 characters, all different across more than one pool of random bytes', () => {
    const puids = Array.from({ length: 1000 }, () => newPuid());
    for (const puid of puids) expect(puid).toMatch(/^[0-9a-v]{26}$/);
    expect(new Set(puids).size).toBe(puids.length);
    // Every character of the alphabet turns up: the bytes are used, not a constant.
    expect(new Set(puids.join('')).size).toBe(32);
  });
});
