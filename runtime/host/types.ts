/**
 * @module What a function serves: the handlers behind Seldon's component paths.
 *
 * A model server (runtime/model) and the user-component wrapper (runtime/component) each turn their node
 * into `NodeHandlers`; the host (runtime/host) serves them over HTTP on the Seldon component paths and the
 * Open Inference Protocol, with health, readiness, metadata, metrics and drain. The orchestrator calls
 * functions on these same paths.
 */
import type { Hono } from 'hono';
import type { Registry } from 'prom-client';
import type { Logger } from '../log.ts';
import type { SeldonFeedback, SeldonMessage, SeldonMessageList, SeldonMetric } from '../protocol/seldon-types.ts';

export interface NodeHandlers {
  /** POST /predict */
  predict?(message: SeldonMessage): Promise<SeldonMessage>;
  /** POST /transform-input */
  transformInput?(message: SeldonMessage): Promise<SeldonMessage>;
  /** POST /transform-output */
  transformOutput?(message: SeldonMessage): Promise<SeldonMessage>;
  /** POST /aggregate */
  aggregate?(messages: SeldonMessageList): Promise<SeldonMessage>;
  /** POST /route: answers `{data: {ndarray: [[childIndex]]}}` as Seldon does. */
  route?(message: SeldonMessage): Promise<SeldonMessage>;
  /** POST /send-feedback */
  sendFeedback?(feedback: SeldonFeedback): Promise<SeldonMessage>;
  /** GET /metadata and GET /v2/models/{name}: inputs/outputs as Open Inference Protocol tensor metadata. */
  metadata(): Promise<NodeMetadata>;
  /** Readiness beyond init (e.g. a component's own health()). */
  health?(): Promise<boolean>;
}

export interface TensorMetadata {
  name: string;
  datatype: string;
  shape: number[];
}

export interface NodeMetadata {
  name: string;
  platform: string;
  versions?: string[];
  inputs: TensorMetadata[];
  outputs: TensorMetadata[];
  /** Free-form (component metadata(), class names, …). */
  custom?: Record<string, unknown>;
}

/** A node implementation once initialised: what a function entry hands to the host. */
export interface LoadedNode {
  name: string;
  handlers: NodeHandlers;
  close?(): Promise<void>;
  /**
   * Called by the host once, after load, with where to report custom metrics (a component's `metrics()`):
   * the host exposes them at GET /metrics (COUNTER → counter, GAUGE → gauge, TIMER → histogram).
   */
  setMetricsSink?(sink: (metrics: SeldonMetric[]) => void): void;
}

export interface FunctionAppOptions {
  /** The function's name (from the plan); also accepted as the V2 model name besides the node's own name. */
  name: string;
  /** Loads and initialises the node; the function is ready once it resolves. Called once, right away. */
  load: () => Promise<LoadedNode>;
  /** Largest request body accepted; a bigger one is answered 413. Default 10 MiB. */
  bodyLimitBytes?: number;
  log?: Logger;
  /** Timers used by `drain` (default the global ones), so tests can drive time. */
  timers?: HostTimers;
}

export interface HostTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface FunctionAppHandle {
  /** The Hono app: `app.fetch(request)` is the whole function. */
  app: Hono;
  /** Resolves when the node is loaded; rejects with load()'s error (never unhandled). */
  ready: Promise<void>;
  /** Fail readiness, then wait for in-flight requests to finish, at most `timeoutMs`. Requests still arriving are served. */
  drain(timeoutMs: number): Promise<void>;
  /** Loaded, not draining. */
  isReady(): boolean;
  /** Release the node (`LoadedNode.close`); call after `drain`. Never rejects. */
  close(): Promise<void>;
  /** This function's own Prometheus registry (what GET /metrics serves). */
  registry: Registry;
}
