/**
 * @module HTTP statuses of the REST answer a gRPC call was served by → gRPC status codes, following the
 * HTTP ↔ gRPC mapping of google.rpc.Code: bad input INVALID_ARGUMENT, unknown model NOT_FOUND, missing or
 * wrong token UNAUTHENTICATED, a graph that cannot be served UNAVAILABLE, a timeout DEADLINE_EXCEEDED.
 */
import { status as GrpcStatus, type ServiceError, Metadata } from '@grpc/grpc-js';

export function grpcCodeForHttp(httpStatus: number): GrpcStatus {
  switch (httpStatus) {
    case 400:
    case 415:
    case 422:
      return GrpcStatus.INVALID_ARGUMENT;
    case 401:
      return GrpcStatus.UNAUTHENTICATED;
    case 403:
      return GrpcStatus.PERMISSION_DENIED;
    case 404:
      return GrpcStatus.NOT_FOUND;
    case 409:
      return GrpcStatus.ABORTED;
    case 413:
    case 429:
      return GrpcStatus.RESOURCE_EXHAUSTED;
    case 499:
      return GrpcStatus.CANCELLED;
    case 501:
      return GrpcStatus.UNIMPLEMENTED;
    case 502:
    case 503:
      return GrpcStatus.UNAVAILABLE;
    case 504:
      return GrpcStatus.DEADLINE_EXCEEDED;
    default:
      if (httpStatus >= 400 && httpStatus < 500) return GrpcStatus.FAILED_PRECONDITION;
      return GrpcStatus.INTERNAL;
  }
}

/** A gRPC error with `code` and `details` (what a client sees as the status message). */
export function grpcError(code: GrpcStatus, details: string): ServiceError {
  const error = new Error(details) as ServiceError;
  error.code = code;
  error.details = details;
  error.metadata = new Metadata();
  return error;
}
