/** @module Seldon and Open Inference Protocol (V2) codecs, validation and protocol-correct errors. */
export * from './errors.ts';
export type * from './seldon-types.ts';
export * from './seldon-schema.ts';
export * from './seldon-payload.ts';
export * from './v2-types.ts';
export * from './v2-datatypes.ts';
export * from './v2-request.ts';
export * from './v2-response.ts';
export * from './v2-seldon.ts';
export * from './json-guard.ts';
export * from './media-type.ts';
export * from './v2-binary.ts';
