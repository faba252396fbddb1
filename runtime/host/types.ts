/**
 * @module What a function serves: the handlers behind Seldon's component paths.
 *
 * A model server (runtime/model) and the user-component wrapper (runtime/component) each turn their node
 * into `NodeHandlers`; the host (runtime/host) serves them over HTTP on the Seldon component paths and the
 * Open Inference Protocol, with health, readiness, metadata, metrics and drain. The orchestrator calls
 * functions on these same paths.
 */
import type { SeldonFeedback, SeldonMessage, SeldonMessageList } from '../protocol/seldon-types.ts';

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
}
