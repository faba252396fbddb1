/**
 * @module Seldon Core prediction protocol messages (prediction.proto, JSON mapping).
 *
 * These are the messages on the graph's front door and between the orchestrator and every function
 * (the orchestrator calls functions on Seldon's internal component paths: /predict, /transform-input, …).
 */
import type { TensorValues } from './packed-values.ts';

export interface SeldonTensor {
  shape: number[];
  /** Numbers from JSON; a typed array when the tensor came packed or from a model (protocol/packed-values.ts). */
  values: TensorValues;
}

export interface SeldonData {
  names?: string[];
  ndarray?: unknown[];
  tensor?: SeldonTensor;
}

export interface SeldonMetric {
  key: string;
  type: 'COUNTER' | 'GAUGE' | 'TIMER';
  value: number;
  tags?: Record<string, string>;
}

export interface SeldonMeta {
  puid?: string;
  tags?: Record<string, unknown>;
  /** router node name → index of the child it chose (-1: not a router / no choice). */
  routing?: Record<string, number>;
  /** node name → the function (image, in Seldon) that served it. */
  requestPath?: Record<string, string>;
  metrics?: SeldonMetric[];
}

export interface SeldonStatus {
  code: number;
  info: string;
  reason: string;
  status: 'SUCCESS' | 'FAILURE';
}

export interface SeldonMessage {
  status?: SeldonStatus;
  meta?: SeldonMeta;
  data?: SeldonData;
  binData?: string;
  strData?: string;
  jsonData?: unknown;
}

export interface SeldonFeedback {
  request?: SeldonMessage;
  response?: SeldonMessage;
  reward?: number;
  truth?: SeldonMessage;
}

/** The body the orchestrator sends to a COMBINER's /aggregate. */
export interface SeldonMessageList {
  seldonMessages: SeldonMessage[];
}
