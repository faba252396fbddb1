/**
 * @module The fake apiserver's storage: objects by resource, namespace and name, one global resourceVersion
 * counter (as etcd's revision), an event log that watches replay from a resourceVersion, and deletion with
 * propagation policies.
 *
 * Deletion follows what a bare apiserver without Knative's controllers does (DESIGN.md): `Background` and
 * `Orphan` remove the object at once (Background then removes its dependents, found by ownerReferences, as the
 * garbage collector would; Orphan strips their ownerReferences). `Foreground` only marks the object with a
 * deletionTimestamp and the `foregroundDeletion` finalizer: nothing removes it, so it hangs.
 */
import { randomUUID } from 'node:crypto';
import { objectChanged, specChanged } from './apply.ts';
import type { ResourceType } from './resources.ts';

export type Json = Record<string, unknown>;
export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface WatchEvent {
  resourceVersion: number;
  type: EventType;
  resource: ResourceType;
  object: Json;
}

export type PropagationPolicy = 'Background' | 'Foreground' | 'Orphan';

const meta = (o: Json) => o['metadata'] as Json;

export class ObjectStore {
  #objects = new Map<string, Json>();
  #types = new Map<string, ResourceType>();
  #revision = 1;
  readonly events: WatchEvent[] = [];
  #listeners = new Set<(event: WatchEvent) => void>();
  readonly namespaces = new Set<string>();
  readonly #now: () => Date;

  constructor(options: { namespaces: string[]; now: () => Date }) {
    for (const ns of options.namespaces) this.namespaces.add(ns);
    this.#now = options.now;
  }

  get revision(): number {
    return this.#revision;
  }

  #key(type: ResourceType, namespace: string | undefined, name: string): string {
    return `${type.group}/${type.plural}/${namespace ?? ''}/${name}`;
  }

  get(type: ResourceType, namespace: string | undefined, name: string): Json | undefined {
    const found = this.#objects.get(this.#key(type, namespace, name));
    return found === undefined ? undefined : structuredClone(found);
  }

  list(type: ResourceType, namespace: string | undefined): Json[] {
    const prefix = `${type.group}/${type.plural}/`;
    const out: Json[] = [];
    for (const [key, object] of this.#objects) {
      if (!key.startsWith(prefix)) continue;
      if (namespace !== undefined && meta(object)['namespace'] !== namespace) continue;
      out.push(structuredClone(object));
    }
    return out.sort((a, b) => String(meta(a)['name']).localeCompare(String(meta(b)['name'])));
  }

  /** Every stored object with its type (for the garbage collector). */
  all(): Array<{ type: ResourceType; object: Json }> {
    return [...this.#objects].map(([key, object]) => ({ type: this.#types.get(key)!, object: structuredClone(object) }));
  }

  onEvent(listener: (event: WatchEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #emit(type: EventType, resource: ResourceType, object: Json): void {
    const event: WatchEvent = { resourceVersion: this.#revision, type, resource, object: structuredClone(object) };
    this.events.push(event);
    for (const listener of this.#listeners) listener(event);
  }

  /**
   * Stores `next` (create or replace) unless nothing changed. Sets uid, creationTimestamp, resourceVersion and,
   * for types that have it, generation. Returns the stored object and whether it was written.
   */
  put(type: ResourceType, next: Json): { object: Json; written: boolean; created: boolean } {
    const m = meta(next);
    const key = this.#key(type, m['namespace'] as string | undefined, String(m['name']));
    const live = this.#objects.get(key);
    if (live !== undefined && !objectChanged(live, next)) return { object: structuredClone(live), written: false, created: false };
    const stored = this.prepare(type, live, next);
    this.#revision++;
    meta(stored)['resourceVersion'] = String(this.#revision);
    this.#objects.set(key, stored);
    this.#types.set(key, type);
    this.#emit(live === undefined ? 'ADDED' : 'MODIFIED', type, stored);
    return { object: structuredClone(stored), written: true, created: live === undefined };
  }

  /** What `put` would store, without storing it (dry run): server-set metadata filled in, no new resourceVersion. */
  prepare(type: ResourceType, live: Json | undefined, next: Json): Json {
    const stored = structuredClone(next);
    const m = meta(stored);
    if (live === undefined) {
      m['uid'] = randomUUID();
      m['creationTimestamp'] = this.#now().toISOString().replace(/\.\d{3}Z$/, 'Z');
      if (type.generation) m['generation'] = 1;
    } else {
      const lm = meta(live);
      m['uid'] = lm['uid'];
      m['creationTimestamp'] = lm['creationTimestamp'];
      m['resourceVersion'] = lm['resourceVersion'];
      if (type.generation) m['generation'] = Number(lm['generation'] ?? 1) + (specChanged(live, stored) ? 1 : 0);
    }
    return stored;
  }

  delete(type: ResourceType, namespace: string | undefined, name: string, policy: PropagationPolicy): Json | undefined {
    const key = this.#key(type, namespace, name);
    const live = this.#objects.get(key);
    if (live === undefined) return undefined;
    if (policy === 'Foreground') {
      const marked = structuredClone(live);
      const m = meta(marked);
      m['deletionTimestamp'] ??= this.#now().toISOString().replace(/\.\d{3}Z$/, 'Z');
      const finalizers = new Set((m['finalizers'] ?? []) as string[]);
      finalizers.add('foregroundDeletion');
      m['finalizers'] = [...finalizers];
      this.#revision++;
      m['resourceVersion'] = String(this.#revision);
      this.#objects.set(key, marked);
      this.#emit('MODIFIED', type, marked);
      return structuredClone(marked);
    }
    this.#objects.delete(key);
    this.#revision++;
    const gone = structuredClone(live);
    meta(gone)['resourceVersion'] = String(this.#revision);
    this.#emit('DELETED', type, gone);
    const uid = meta(live)['uid'];
    for (const dependent of this.all()) {
      const refs = (meta(dependent.object)['ownerReferences'] ?? []) as Array<{ uid: string }>;
      if (!refs.some((r) => r.uid === uid)) continue;
      const dm = meta(dependent.object);
      if (policy === 'Background') {
        this.delete(dependent.type, dm['namespace'] as string | undefined, String(dm['name']), 'Background');
      } else {
        dm['ownerReferences'] = refs.filter((r) => r.uid !== uid);
        this.put(dependent.type, dependent.object);
      }
    }
    return gone;
  }
}
