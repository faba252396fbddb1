/**
 * @module Randomness as a parameter: the `Rng` that routers and backoff jitter draw from.
 *
 * `seededRng(seed)` is sfc32 (Chris Doty-Humphrey's "Small Fast Counting" generator, 128-bit state, from
 * PractRand), its state filled from the seed by splitmix32 and warmed up by 12 discarded draws. The same seed gives
 * the same sequence on every platform, so tests can assert exact choices. It is not cryptographic.
 */
import { randomBytes } from 'node:crypto';

export interface Rng {
  /** A uniform float in [0, 1). */
  next(): number;
}

/** splitmix32: spreads one 32-bit seed into well-mixed words for the generator's state. */
function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

function sfc32(a: number, b: number, c: number, d: number): Rng {
  return {
    next() {
      a >>>= 0;
      b >>>= 0;
      c >>>= 0;
      d >>>= 0;
      const t = (((a + b) | 0) + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (c << 21) | (c >>> 11);
      c = (c + t) | 0;
      return (t >>> 0) / 4294967296;
    },
  };
}

/**
 * A deterministic generator (sfc32) for `seed`. Seeds are taken as 32-bit unsigned integers
 * (`seed >>> 0`): 1 and 2**32 + 1 give the same sequence. Throws on a non-finite seed.
 */
export function seededRng(seed: number): Rng {
  if (!Number.isFinite(seed)) throw new Error(`seededRng: seed must be a finite number, received ${String(seed)}`);
  const mix = splitmix32(Math.trunc(seed));
  const rng = sfc32(mix(), mix(), mix(), mix());
  for (let i = 0; i < 12; i++) rng.next();
  return rng;
}

/** An sfc32 generator seeded from the operating system's cryptographic randomness (for production use). */
export function randomRng(): Rng {
  const seed = randomBytes(16);
  const rng = sfc32(seed.readUInt32LE(0), seed.readUInt32LE(4), seed.readUInt32LE(8), seed.readUInt32LE(12));
  for (let i = 0; i < 12; i++) rng.next();
  return rng;
}
