/**
 * @module A gRPC call that ended in an error status, with the HTTP status it stands for (google.rpc.Code's
 * mapping), so code that does not load grpc-js (the orchestrator's remote client) can treat it as it treats an
 * HTTP answer.
 */
export class GrpcCallError extends Error {
  /** The gRPC status code (14 is UNAVAILABLE, 4 DEADLINE_EXCEEDED, …). */
  readonly code: number;
  /** Its name, e.g. `UNAVAILABLE`. */
  readonly codeName: string;
  /** The server's status message. */
  readonly details: string;
  /** The HTTP status of the same meaning: 400 INVALID_ARGUMENT, 404 NOT_FOUND, 503 UNAVAILABLE, 504 DEADLINE_EXCEEDED, … */
  readonly httpStatus: number;
  constructor(options: { code: number; codeName: string; details: string; httpStatus: number }) {
    super(`${options.codeName}: ${options.details}`);
    this.name = 'GrpcCallError';
    this.code = options.code;
    this.codeName = options.codeName;
    this.details = options.details;
    this.httpStatus = options.httpStatus;
  }
}
