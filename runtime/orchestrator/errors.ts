/** @module Errors raised while walking a graph: protocol errors that name the node and function that failed. */
import { ProtocolError } from '../protocol/errors.ts';

export class NodeCallError extends ProtocolError {
  readonly function: string;
  constructor(options: { status: number; node: string; function: string; reason: string; message: string; field?: string; cause?: unknown }) {
    super(options.message, {
      status: options.status,
      node: options.node,
      reason: options.reason,
      ...(options.field === undefined ? {} : { field: options.field }),
      ...(options.cause === undefined ? {} : { cause: options.cause }),
    });
    this.name = 'NodeCallError';
    this.function = options.function;
  }
}
