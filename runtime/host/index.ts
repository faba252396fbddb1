/** @module The function host: a Hono app serving one node on Seldon + V2 paths, health, metrics and drain. */
export * from './app.ts';
export * from './serve.ts';
export * from './lifecycle.ts';
export * from './metrics.ts';
export { SELDON_PATHS, servedPaths, type SeldonPath, type MessageHandlerName } from './seldon-routes.ts';
export { HOST_VERSION, primaryHandler } from './v2-routes.ts';
export { DEFAULT_BODY_LIMIT_BYTES } from './_body.ts';
export type * from './types.ts';
