/** @module Loading a user's component module and turning it into the `NodeHandlers` a function serves. */
export * from './load.ts';
export * from './check.ts';
export * from './metadata.ts';
export * from './types.ts';
