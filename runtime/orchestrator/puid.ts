/** @module Prediction unique ids, in Seldon's style: 26 lowercase base-32 characters. */
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghijklmnopqrstuv';

export function newPuid(): string {
  const bytes = randomBytes(26);
  let out = '';
  for (const byte of bytes) out += ALPHABET[byte & 31];
  return out;
}
