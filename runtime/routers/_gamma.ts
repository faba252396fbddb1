/**
 * Sampling Gamma and Beta variates from a uniform `Rng`, for Thompson sampling.
 *
 * Gamma: Marsaglia and Tsang, "A simple method for generating gamma variables" (ACM TOMS 26(3), 2000), with the
 * boost X·U^(1/a) for shapes a < 1. Normals: the Box–Muller transform. Beta(a, b) = X / (X + Y) with
 * X ~ Gamma(a), Y ~ Gamma(b).
 */
import type { Rng } from '../time/rng.ts';

/** A uniform number in (0, 1]: safe to take the logarithm of. */
function openUniform(rng: Rng): number {
  return 1 - rng.next();
}

/** A standard normal variate (Box–Muller; draws two uniforms, uses the cosine branch). */
export function sampleNormal(rng: Rng): number {
  const u1 = openUniform(rng);
  const u2 = rng.next();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** A Gamma(shape, 1) variate; `shape` > 0. */
export function sampleGamma(shape: number, rng: Rng): number {
  if (!(shape > 0) || !Number.isFinite(shape)) throw new RangeError(`gamma shape must be > 0, received ${shape}`);
  if (shape < 1) return sampleGamma(shape + 1, rng) * Math.pow(openUniform(rng), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = sampleNormal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = openUniform(rng);
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** A Beta(a, b) variate in [0, 1]; a, b > 0. */
export function sampleBeta(a: number, b: number, rng: Rng): number {
  const x = sampleGamma(a, rng);
  const y = sampleGamma(b, rng);
  const sum = x + y;
  return sum > 0 ? x / sum : 0.5;
}
