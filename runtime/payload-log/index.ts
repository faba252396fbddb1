/** @module Payload logging (Seldon Core's and KServe's `logger`): payloads as CloudEvents, sent in the background. */
export * from './cloud-event.ts';
export * from './sender.ts';
