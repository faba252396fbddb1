/** @module Errors the local gateway answers with: each knows its HTTP status and names the function. */

export class GatewayError extends Error {
  readonly status: number;
  readonly reason: string;
  readonly function: string;
  readonly retryAfterSeconds?: number;
  constructor(options: { status: number; reason: string; function: string; message: string; retryAfterSeconds?: number }) {
    super(options.message);
    this.name = 'GatewayError';
    this.status = options.status;
    this.reason = options.reason;
    this.function = options.function;
    if (options.retryAfterSeconds !== undefined) this.retryAfterSeconds = options.retryAfterSeconds;
  }
}
