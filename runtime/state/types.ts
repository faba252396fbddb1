/**
 * @module The `StateStore`: where the orchestrator keeps router state so that it survives scale-to-zero and is shared
 * by replicas. Values are plain JSON; every implementation stores a copy (never the caller's object).
 */

export interface StateStore {
  /** Which backend holds the data. */
  readonly kind: StateStoreKind;
  /** Where, for people: the file's path, the Redis URL without its password, or "this process". */
  readonly location: string;
  /** The value under `key`, or `undefined` when there is none. */
  get<T>(key: string): Promise<T | undefined>;
  /**
   * Atomic read-modify-write: `fn` gets the current value (or `undefined`) and returns the new one, which is stored
   * and returned. Concurrent updates of one key (from this process or others sharing the store) never lose a write;
   * `fn` may be called more than once, so it must be pure. When `fn` throws, nothing is stored and `update` rejects.
   */
  update<T>(key: string, fn: (current: T | undefined) => T): Promise<T>;
  /**
   * True the first time `id` is seen for `key`, false after (used so one feedback puid is applied once). The history is
   * bounded: memory and file stores keep the most recent ids per key (10 000 by default), Redis keeps each id for a
   * time (24 h by default).
   */
  once(key: string, id: string): Promise<boolean>;
  /**
   * `update`, applied only the first time `id` is given for `key`: the id joins `key`'s `once` history in the same
   * atomic step that stores the new value. So retrying after an ambiguous failure (a reply lost on the way back)
   * never applies one id twice, and two replicas given the same id apply it once between them. Resolves to
   * `{applied: true, value: <new value>}`, or `{applied: false, value: <current value>}` when `id` was already seen
   * (nothing changes). When `fn` throws, nothing is stored, the id is not recorded, and the call rejects.
   */
  updateOnce<T>(key: string, id: string, fn: (current: T | undefined) => T): Promise<UpdateOnceResult<T>>;
  /** Every key and its value (not the `once` histories). */
  list(): Promise<Record<string, unknown>>;
  /** Releases connections and handles; idempotent. */
  close(): Promise<void>;
}

export type StateStoreKind = 'memory' | 'file' | 'redis';

export interface UpdateOnceResult<T> {
  applied: boolean;
  value: T | undefined;
}

/** Default bound on the ids remembered per key by `once`. */
export const DEFAULT_ONCE_HISTORY = 10_000;

/** The store is unreachable, its data is unreadable, or a lock could not be had: callers may retry or degrade. */
export class StateStoreError extends Error {
  readonly store: StateStoreKind;

  constructor(store: StateStoreKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StateStoreError';
    this.store = store;
  }
}

/** A JSON copy: what a store keeps and hands out, so callers never share objects with it. */
export function jsonCopy<T>(value: T): T {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError('state values must be JSON (received undefined or a function)');
  return JSON.parse(text) as T;
}
