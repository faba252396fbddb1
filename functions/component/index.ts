/** @module Entry of a user-component function: serves one node implemented by the user's TypeScript module. */
import type { FunctionBundleConfig } from '../../runtime/plan/types.ts';
import type { Component } from '../../runtime/component/types.ts';
import { createFunctionApp } from '../../runtime/host/index.ts';
import { loadComponentNode } from '../../runtime/component/index.ts';
import { createLogger } from '../../runtime/log.ts';
import { bodyLimitOption, runFunction } from '../adapter.ts';
import * as userModule from 'switchyard:component';

declare const SWITCHYARD_FUNCTION_CONFIG: FunctionBundleConfig;

const config = SWITCHYARD_FUNCTION_CONFIG;
const log = createLogger(config.function.name);
const node = config.nodes[0]!;

await runFunction(
  config.function.name,
  createFunctionApp({
    name: config.function.name,
    load: () => loadComponentNode(userModule as Component, node, { log }),
    log,
    ...bodyLimitOption(),
  }),
);
