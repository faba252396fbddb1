/**
 * @module One payload as a CloudEvent in the HTTP binary content mode (CloudEvents 1.0 HTTP binding): the payload is
 * the body, the event's attributes are `ce-` headers.
 *
 * The types and extension attributes are Seldon Core's (its executor's request logger), so that sinks written for
 * Seldon read them: `io.seldon.serving.inference.request` / `.response` / `io.seldon.serving.feedback`, with
 * `requestid` (the prediction's puid), `modelid` (the node, or the graph), `inferenceservicename` (the graph),
 * `namespace`, `endpoint` (the path the payload went to) and `protocol` (`seldon` or `v2`). `traceparent` (the
 * CloudEvents distributed-tracing extension) ties the event to the request's trace.
 */

export const CLOUD_EVENT_TYPES = {
  request: 'io.seldon.serving.inference.request',
  response: 'io.seldon.serving.inference.response',
  feedback: 'io.seldon.serving.feedback',
} as const;

export type PayloadKind = keyof typeof CLOUD_EVENT_TYPES;

/** The API a payload came in by (`ce-protocol`): a node's are Seldon's; the graph's, its client's. */
export type PayloadProtocol = 'seldon' | 'v2' | 'kserve-v1';

export interface PayloadEvent {
  kind: PayloadKind;
  /** A unique id for this event. */
  id: string;
  /** A URI-reference naming what produced it, e.g. `/switchyard/default/seed/nodes/features`. */
  source: string;
  time: Date;
  /** The prediction's puid: a request and its response share it (feedback without one has none). */
  requestId?: string | undefined;
  /** The node whose payload this is, or the graph's name for the graph's own requests. */
  modelId: string;
  graph: string;
  namespace: string;
  /** The path the payload went to (`/predict`, `/api/v1.0/predictions`, …). */
  endpoint: string;
  protocol: PayloadProtocol;
  /** The W3C trace context of the request, when it has one. */
  traceparent?: string | undefined;
}

/** The event's attributes as HTTP headers, values percent-encoded as the HTTP binding requires. */
export function cloudEventHeaders(event: PayloadEvent): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'ce-specversion': '1.0',
    'ce-id': encodeHeaderValue(event.id),
    'ce-type': CLOUD_EVENT_TYPES[event.kind],
    'ce-source': encodeHeaderValue(event.source),
    'ce-time': event.time.toISOString(),
    'ce-modelid': encodeHeaderValue(event.modelId),
    'ce-inferenceservicename': encodeHeaderValue(event.graph),
    'ce-namespace': encodeHeaderValue(event.namespace),
    'ce-endpoint': encodeHeaderValue(event.endpoint),
    'ce-protocol': event.protocol,
  };
  if (event.requestId !== undefined && event.requestId !== '') headers['ce-requestid'] = encodeHeaderValue(event.requestId);
  if (event.traceparent !== undefined) headers['ce-traceparent'] = encodeHeaderValue(event.traceparent);
  return headers;
}

const utf8 = new TextEncoder();

/**
 * CloudEvents HTTP binding, 3.1.3.2: space, `"`, `%` and everything outside printable ASCII are percent-encoded
 * (as UTF-8 bytes). A client's puid may hold anything; a header must not.
 */
export function encodeHeaderValue(value: string): string {
  if (/^[\x21\x23\x24\x26-\x7e]*$/.test(value)) return value;
  let out = '';
  for (const char of value) {
    const code = char.codePointAt(0)!;
    if (code >= 0x21 && code <= 0x7e && char !== '"' && char !== '%') {
      out += char;
      continue;
    }
    for (const byte of utf8.encode(char)) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
