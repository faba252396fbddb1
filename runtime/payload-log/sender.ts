/**
 * @module Delivers payload events in the background: a bounded queue, a few POSTs at a time, each with a timeout.
 *
 * A prediction never waits for its payload log and never fails because of it. The body is written as JSON when
 * the event is queued (so later changes to the message cannot leak into it); the POST happens after the current
 * request's work. When the logger is slower than the traffic, events beyond `maxPending` (or `maxPendingBytes` of
 * bodies) are dropped and counted;
 * when it fails, the failures are counted and reported in one warning per `warnEveryMs` with what to check.
 */
import { cloudEventHeaders, type PayloadEvent } from './cloud-event.ts';
import { createKeepAliveAgent, httpCall } from '../http/client.ts';
import { describeCallError } from '../http/describe-error.ts';

export type PayloadLogOutcome = 'sent' | 'failed' | 'dropped';

export interface PayloadLogSenderOptions {
  /** Events waiting or in flight at most; beyond, new events are dropped (default 1000). */
  maxPending?: number;
  /** Bytes of bodies waiting or in flight at most (default 64 MiB): a thousand images would not fit in memory. */
  maxPendingBytes?: number;
  /** POSTs in flight at once (default 4). */
  concurrency?: number;
  /** Per POST (default 5000 ms). */
  timeoutMs?: number;
  /** Each event's fate, for metrics. */
  onOutcome?: (outcome: PayloadLogOutcome, event: PayloadEvent) => void;
  warn?: (message: string) => void;
  /** At most one warning per this long (default 30 s); the first comes at once. */
  warnEveryMs?: number;
  now?: () => number;
}

export interface PayloadLogStats {
  sent: number;
  failed: number;
  dropped: number;
  /** Waiting or in flight. */
  pending: number;
}

export interface PayloadLogSender {
  /** Queues one event; returns at once. */
  send(url: string, event: PayloadEvent, body: unknown): void;
  /** Waits until nothing is pending, for at most `timeoutMs` (on shutdown). */
  flush(timeoutMs: number): Promise<void>;
  stats(): PayloadLogStats;
}

interface Queued {
  url: string;
  event: PayloadEvent;
  json: string;
}

export function createPayloadLogSender(options: PayloadLogSenderOptions = {}): PayloadLogSender {
  const post = keepAlivePost();
  const maxPending = options.maxPending ?? 1000;
  const maxPendingBytes = options.maxPendingBytes ?? 64 * 1024 * 1024;
  let pendingBytes = 0;
  const concurrency = options.concurrency ?? 4;
  const timeoutMs = options.timeoutMs ?? 5000;
  const warnEveryMs = options.warnEveryMs ?? 30_000;
  const now = options.now ?? Date.now;
  const queue: Queued[] = [];
  const stats = { sent: 0, failed: 0, dropped: 0 };
  let active = 0;
  let scheduled = false;
  let idle: Array<() => void> = [];

  // Problems since the last warning, by kind, so that a logger that is down costs one line per period.
  let lastWarnAt = -Infinity;
  let unreported = { failed: 0, dropped: 0, reason: '', url: '' };
  const report = (kind: 'failed' | 'dropped', url: string, reason: string) => {
    unreported[kind]++;
    unreported.url = url;
    if (kind === 'failed') unreported.reason = reason;
    if (now() - lastWarnAt < warnEveryMs) return;
    lastWarnAt = now();
    const parts: string[] = [];
    if (unreported.failed > 0) {
      parts.push(`${unreported.failed} event${unreported.failed === 1 ? '' : 's'} not delivered to ${unreported.url} (${unreported.reason}): check that the logger at that URL is running and accepts POSTs`);
    }
    if (unreported.dropped > 0) {
      parts.push(
        `${unreported.dropped} event${unreported.dropped === 1 ? '' : 's'} dropped because ${maxPending} events or ${Math.round(maxPendingBytes / 1048576)} MiB were already waiting: the logger answers slower than requests arrive`,
      );
    }
    options.warn?.(`payload logger: ${parts.join('; ')}. Predictions are not affected.`);
    unreported = { failed: 0, dropped: 0, reason: '', url: '' };
  };

  const finish = (item: Queued, outcome: PayloadLogOutcome, reason = '') => {
    stats[outcome]++;
    options.onOutcome?.(outcome, item.event);
    if (outcome !== 'sent') report(outcome, item.url, reason);
  };

  const deliver = async (item: Queued) => {
    try {
      const status = await post(item.url, cloudEventHeaders(item.event), item.json, timeoutMs);
      if (status >= 200 && status <= 299) finish(item, 'sent');
      else finish(item, 'failed', `it answered ${status}`);
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      finish(item, 'failed', timedOut ? `no answer within ${timeoutMs} ms` : describeCallError(error));
    }
  };

  const pump = () => {
    scheduled = false;
    while (active < concurrency && queue.length > 0) {
      const item = queue.shift()!;
      active++;
      void deliver(item).finally(() => {
        active--;
        pendingBytes -= item.json.length;
        if (queue.length > 0) pump();
        else if (active === 0) {
          const waiting = idle;
          idle = [];
          for (const resolve of waiting) resolve();
        }
      });
    }
  };

  return {
    send(url, event, body) {
      let json: string;
      try {
        json = serializePayload(body);
      } catch (error) {
        finish({ url, event, json: '' }, 'failed', `the payload cannot be written as JSON: ${describeCallError(error)}`);
        return;
      }
      const item = { url, event, json };
      if (queue.length + active >= maxPending || pendingBytes + json.length > maxPendingBytes) {
        finish(item, 'dropped');
        return;
      }
      pendingBytes += json.length;
      queue.push(item);
      if (!scheduled) {
        scheduled = true;
        setImmediate(pump);
      }
    },
    async flush(limitMs) {
      if (queue.length === 0 && active === 0) return;
      if (scheduled) pump();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => idle.push(resolve)),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, limitMs))),
      ]);
      clearTimeout(timer);
    },
    stats: () => ({ ...stats, pending: queue.length + active }),
  };
}

/**
 * POSTs over a keep-alive node:http pool for http: URLs (no fetch classes: an orchestrator that logs payloads need
 * not load undici), the global fetch for https:. Resolves with the status.
 */
function keepAlivePost(): (url: string, headers: Record<string, string>, body: string, timeoutMs: number) => Promise<number> {
  const agent = createKeepAliveAgent();
  const targets = new Map<string, URL>();
  return async (url, headers, body, timeoutMs) => {
    let target = targets.get(url);
    if (target === undefined) {
      target = new URL(url);
      if (targets.size < 64) targets.set(url, target);
    }
    if (target.protocol === 'http:') {
      const answer = await httpCall(agent, target.hostname, Number(target.port || 80), { method: 'POST', path: target.pathname + target.search, headers, body, timeoutMs });
      return answer.status;
    }
    const response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
    await response.arrayBuffer().catch(() => undefined);
    return response.status;
  };
}

/** JSON with every typed array written as an array of numbers (a bare Float32Array would become an object). */
export function serializePayload(body: unknown): string {
  return JSON.stringify(body, (_key, value: unknown) => (ArrayBuffer.isView(value) && !(value instanceof DataView) ? Array.from(value as Float32Array) : value));
}
