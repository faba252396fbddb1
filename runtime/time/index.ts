/** @module Clock and Rng: time and randomness as parameters, with their real implementations. */
export type { Clock } from './clock.ts';
export { realClock, sleep } from './clock.ts';
export type { Rng } from './rng.ts';
export { seededRng, randomRng } from './rng.ts';
