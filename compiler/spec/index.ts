/** @module The graph file: zod schemas of each section, loading YAML/JSON with lines, issue data and the JSON Schema. */
export * from './issue.ts';
export * from './names.ts';
export * from './duration.ts';
export * from './quantity.ts';
export * from './scaling.ts';
export * from './canary.ts';
export * from './device.ts';
export * from './resources.ts';
export * from './router-parameters.ts';
export * from './node.ts';
export * from './metadata.ts';
export * from './state.ts';
export * from './graph.ts';
export * from './overrides.ts';
export * from './schema-at.ts';
export * from './load.ts';
export * from './json-schema.ts';
