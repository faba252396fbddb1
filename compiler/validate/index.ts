/** @module Validation of graph files: schema issues, node and graph rules, file checks, and issue rendering. */
export type { IssueCode, IssuePath, SpecIssue } from '../spec/index.ts';
/** An issue in a graph file (the name the CLI uses). */
export type { SpecIssue as Issue } from '../spec/index.ts';
export { ISSUE_CODES } from '../spec/index.ts';
export * from './from-zod.ts';
export * from './node-rules.ts';
export * from './policy-rules.ts';
export * from './graph-rules.ts';
export * from './component-exports.ts';
export * from './sources.ts';
export * from './validate-graph.ts';
export * from './format.ts';
