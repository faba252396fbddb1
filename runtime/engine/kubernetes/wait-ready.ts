/**
 * @module Waiting for Knative Services to become Ready: list them, then watch from the list's resourceVersion,
 * reporting each change of a Service's state (pending with its reason, ready, failed) once. A Service whose
 * `Ready` turns False for its current generation fails the wait at once with Knative's reason and message;
 * the deadline (an injected clock) fails it with each unready Service's last reason. A watch that ends (the
 * apiserver closes watches now and then) is started again from a fresh list.
 */
import { sleep, type Clock } from '../../time/clock.ts';
import { KubeDeployError } from './errors.ts';
import type { KubeApi } from './kube-api.ts';
import { readiness, type Readiness, type ReadinessState } from './service-status.ts';
import { GRAPH_LABEL, KNATIVE_API_VERSION, type KubeObject } from './types.ts';

export interface ServiceStateChange {
  type: 'service';
  name: string;
  state: ReadinessState;
  reason?: string;
  message?: string;
  revision?: string;
  /** Since the wait started. */
  elapsedMs: number;
}

export interface WaitOptions {
  graph: string;
  namespace: string;
  names: string[];
  clock: Clock;
  timeoutMs: number;
  onChange: (change: ServiceStateChange) => void;
  /** Pause before listing and watching again after a watch ended (default 1 s). */
  retryMs?: number;
}

/** `5m`, `90s` → `1m30s`, `250ms`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const seconds = Math.round(ms / 1000);
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return m === 0 ? `${s}s` : s === 0 ? `${m}m` : `${m}m${s}s`;
}

function describe(r: Readiness): string {
  return [r.reason, r.message].filter((x) => x !== undefined && x !== '').join(': ') || 'no Ready condition yet';
}

const FATAL = new Set(['forbidden', 'unauthorized', 'knative_missing']);

/** Resolves with the Services as last seen, once every one in `names` is Ready; rejects with a `KubeDeployError`. */
export function waitForServices(api: KubeApi, options: WaitOptions): Promise<Map<string, KubeObject>> {
  const { clock, names, namespace } = options;
  const wanted = new Set(names);
  const started = clock.now();
  const latest = new Map<string, KubeObject>();
  const shown = new Map<string, string>();
  let finished = false;
  let stopWatch: (() => void) | undefined;
  let wake: (() => void) | undefined;

  return new Promise((resolve, reject) => {
    const finish = (error?: KubeDeployError) => {
      if (finished) return;
      finished = true;
      clock.clearTimeout(deadline);
      stopWatch?.();
      wake?.();
      if (error === undefined) resolve(latest);
      else reject(error);
    };

    const deadline = clock.setTimeout(() => {
      const waiting = names.filter((n) => latest.get(n) === undefined || readiness(latest.get(n)!).state !== 'ready');
      const lines = waiting.map((n) => `${n}: ${latest.has(n) ? describe(readiness(latest.get(n)!)) : 'not found'}`);
      finish(
        new KubeDeployError(
          'timeout',
          `${waiting.length === 1 ? `${waiting[0]} did` : `${waiting.length} Services did`} not become Ready within ${formatDuration(options.timeoutMs)}:\n    ${lines.join('\n    ')}`,
          `see why with kubectl describe ksvc ${waiting[0] ?? ''} -n ${namespace} and its pods (kubectl get pods -n ${namespace} -l serving.knative.dev/service=${waiting[0] ?? ''}); raise --timeout if it is only slow`,
        ),
      );
    }, options.timeoutMs);

    const observe = (service: KubeObject) => {
      const name = service.metadata.name;
      if (finished || !wanted.has(name)) return;
      latest.set(name, service);
      const state = readiness(service);
      const key = JSON.stringify(state);
      if (shown.get(name) !== key) {
        shown.set(name, key);
        options.onChange({ type: 'service', name, ...state, elapsedMs: clock.now() - started });
      }
      if (state.state === 'failed') {
        finish(
          new KubeDeployError(
            'not_ready',
            `${name} did not become Ready: ${describe(state)}`,
            `see kubectl describe ${state.revision === undefined ? `ksvc ${name}` : `revision ${state.revision}`} -n ${namespace}; fix the graph and deploy again, or go back with switchyard rollback ${options.graph}`,
          ),
        );
        return;
      }
      if (names.every((n) => latest.has(n) && readiness(latest.get(n)!).state === 'ready')) finish();
    };

    const selector = `${GRAPH_LABEL}=${options.graph}`;
    const loop = async () => {
      while (!finished) {
        try {
          const list = await api.list(KNATIVE_API_VERSION, 'Service', namespace, selector);
          for (const item of list.items) observe(item);
          if (finished) return;
          await new Promise<void>((resume) => {
            wake = resume;
            void api
              .watch(KNATIVE_API_VERSION, 'Service', namespace, { labelSelector: selector, resourceVersion: list.resourceVersion }, (type, object) => {
                if (type === 'ADDED' || type === 'MODIFIED') observe(object);
                if (type === 'ERROR') resume();
              }, (error) => {
                if (error instanceof KubeDeployError && FATAL.has(error.code)) finish(error);
                resume();
              })
              .then((handle) => {
                stopWatch = () => handle.stop();
                if (finished) handle.stop();
              }, (error: unknown) => {
                if (error instanceof KubeDeployError && FATAL.has(error.code)) finish(error);
                resume();
              });
          });
          stopWatch?.();
        } catch (error) {
          if (error instanceof KubeDeployError && FATAL.has(error.code)) return finish(error);
        }
        if (!finished) await sleep(clock, options.retryMs ?? 1000);
      }
    };
    void loop();
  });
}
