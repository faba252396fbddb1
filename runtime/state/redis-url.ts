/**
 * @module Checking and redacting a Redis state store URL, without loading ioredis (./redis-store.ts does, and
 * only the Redis store needs it: ./index.ts loads it on first use).
 */
import { StateStoreError } from './types.ts';

/** The URL without its password, for messages. */
export function redactRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}

/** Throws a StateStoreError unless `url` is a redis:// or rediss:// URL. */
export function checkRedisUrl(url: string): void {
  if (!/^rediss?:$/.test(safeProtocol(url))) {
    throw new StateStoreError('redis', `state store URL ${redactRedisUrl(url)} must start with redis:// or rediss://`);
  }
}

function safeProtocol(url: string): string {
  try {
    return new URL(url).protocol;
  } catch {
    return '';
  }
}
