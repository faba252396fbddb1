/**
 * @module Every span attribute and header name Switchyard's tracing uses, in one place.
 *
 * Switchyard's own attributes live under `switchyard.*`; HTTP ones follow OpenTelemetry's semantic conventions.
 * The `x-switchyard-*` headers are how the local engine's gateway tells the orchestrator which replica answered a
 * node call, whether that call waited for a cold start and how long it queued (they become node-call attributes).
 */

// The request, on the orchestrator's root server span.
export const ATTR_GRAPH = 'switchyard.graph';
/** `seldon`, `v2` or `feedback`. */
export const ATTR_PROTOCOL = 'switchyard.protocol';
export const ATTR_PUID = 'switchyard.puid';
/** The nodes the request went through, in walk order: `features > bandit > good-model`. */
export const ATTR_ROUTE = 'switchyard.route';

// A node call (client span at the orchestrator) and a function's server span.
export const ATTR_NODE = 'switchyard.node';
export const ATTR_NODE_TYPE = 'switchyard.node.type';
export const ATTR_FUNCTION = 'switchyard.function';
/** The Seldon component path called: `/predict`, `/transform-input`, … */
export const ATTR_NODE_PATH = 'switchyard.node.path';
export const ATTR_REPLICA = 'switchyard.replica';
export const ATTR_COLD_START = 'switchyard.cold_start';
/** Milliseconds the call waited at the gateway for a free replica (cold start included). */
export const ATTR_QUEUE_MS = 'switchyard.queue_ms';

// A router's decision (on the router node's span).
export const ATTR_ROUTER = 'switchyard.router';
export const ATTR_ROUTER_CHOSEN = 'switchyard.router.chosen';
export const ATTR_ROUTER_ARM = 'switchyard.router.arm';
export const ATTR_ROUTER_EXPLORE = 'switchyard.router.explore';
/** The router's children, in order: the names `estimates` refer to. */
export const ATTR_ROUTER_ARMS = 'switchyard.router.arms';
/** Each arm's value at decision time (mean reward, Thompson sample, split weight…). */
export const ATTR_ROUTER_ESTIMATES = 'switchyard.router.estimates';
export const ATTR_ROUTER_REASON = 'switchyard.router.reason';

// A shadow walk (a node's shadow, given a copy of its input in the background).
/** The node whose input the shadow got. */
export const ATTR_SHADOW_OF = 'switchyard.shadow.of';
/** The shadow node. */
export const ATTR_SHADOW = 'switchyard.shadow';

// Errors.
/** The Seldon `status.reason` of a failure (`node_timeout`, `node_failed`, …). */
export const ATTR_ERROR_REASON = 'switchyard.error.reason';

// OpenTelemetry HTTP semantic conventions.
export const ATTR_HTTP_METHOD = 'http.request.method';
export const ATTR_HTTP_ROUTE = 'http.route';
export const ATTR_HTTP_STATUS = 'http.response.status_code';
export const ATTR_URL_PATH = 'url.path';
export const ATTR_URL_FULL = 'url.full';
export const ATTR_ERROR_TYPE = 'error.type';
export const ATTR_SERVICE_NAME = 'service.name';
export const ATTR_SERVICE_NAMESPACE = 'service.namespace';

// Headers from the local engine's gateway on each forwarded response.
export const HEADER_REPLICA = 'x-switchyard-replica';
export const HEADER_COLD_START = 'x-switchyard-cold-start';
export const HEADER_QUEUE_MS = 'x-switchyard-queue-ms';

/** The meta tag (and V2 parameter `tags.trace-id`) that names a prediction's trace. */
export const TRACE_ID_TAG = 'trace-id';
