/**
 * @module `GET …?watch=true`: a chunked stream of `{"type","object"}` JSON lines, one per event, as the real
 * apiserver sends them.
 *
 * - No `resourceVersion` (or `0`): a synthetic ADDED event for each object that exists, then changes.
 * - A `resourceVersion`: every change after it (replayed from the event log), then live ones.
 * - `labelSelector` filters events by the object's labels; `timeoutSeconds` ends the stream.
 */
import type { ServerResponse } from 'node:http';
import { parseLabelSelector } from './label-selector.ts';
import type { ResourceType } from './resources.ts';
import type { Json, ObjectStore, WatchEvent } from './store.ts';

export interface WatchRequest {
  type: ResourceType;
  namespace: string | undefined;
  query: URLSearchParams;
}

export class Watches {
  readonly #store: ObjectStore;
  readonly #open = new Set<ServerResponse>();

  constructor(store: ObjectStore) {
    this.#store = store;
  }

  /** Number of watch streams open now. */
  get open(): number {
    return this.#open.size;
  }

  serve(req: WatchRequest, res: ServerResponse): void {
    const matches = parseLabelSelector(req.query.get('labelSelector'));
    const relevant = (event: WatchEvent) => {
      const meta = event.object['metadata'] as Json;
      return (
        event.resource === req.type &&
        (req.namespace === undefined || meta['namespace'] === req.namespace) &&
        matches(meta['labels'] as Record<string, string> | undefined)
      );
    };
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache, private', 'transfer-encoding': 'chunked' });
    res.flushHeaders();
    const send = (type: string, object: Json) => res.write(`${JSON.stringify({ type, object })}\n`);

    const from = req.query.get('resourceVersion');
    if (from === null || from === '' || from === '0') {
      for (const object of this.#store.list(req.type, req.namespace)) {
        if (matches((object['metadata'] as Json)['labels'] as Record<string, string> | undefined)) send('ADDED', object);
      }
    } else {
      for (const event of this.#store.events) if (event.resourceVersion > Number(from) && relevant(event)) send(event.type, event.object);
    }
    const unsubscribe = this.#store.onEvent((event) => {
      if (relevant(event)) send(event.type, event.object);
    });
    this.#open.add(res);
    const timeout = Number(req.query.get('timeoutSeconds') ?? 0);
    const timer = timeout > 0 ? setTimeout(() => res.end(), timeout * 1000) : undefined;
    res.on('close', () => {
      unsubscribe();
      if (timer !== undefined) clearTimeout(timer);
      this.#open.delete(res);
    });
  }

  /** Ends every open watch stream, as an apiserver restart or a load balancer would. */
  closeAll(): void {
    for (const res of this.#open) res.end();
  }
}
