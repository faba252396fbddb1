import { describe, expect, it } from 'vitest';
import { cloudEventHeaders, encodeHeaderValue, type PayloadEvent } from '../../../runtime/payload-log/index.ts';

const EVENT: PayloadEvent = {
  kind: 'response',
  id: '2b1c0e4e-1d7e-4c38-9a57-3f1d0f0e6a11',
  source: '/switchyard/default/seed/nodes/features',
  time: new Date('2026-11-25T10:00:00.123Z'),
  requestId: 'puid-1',
  modelId: 'features',
  graph: 'seed',
  namespace: 'default',
  endpoint: '/transform-input',
  protocol: 'seldon',
  traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
};

describe('cloudEventHeaders', () => {
  it('writes a binary-mode CloudEvent with Seldon\'s type and extension attributes', () => {
    expect(cloudEventHeaders(EVENT)).toEqual({
      'content-type': 'application/json',
      'ce-specversion': '1.0',
      'ce-id': EVENT.id,
      'ce-type': 'io.seldon.serving.inference.response',
      'ce-source': '/switchyard/default/seed/nodes/features',
      'ce-time': '2026-11-25T10:00:00.123Z',
      'ce-requestid': 'puid-1',
      'ce-modelid': 'features',
      'ce-inferenceservicename': 'seed',
      'ce-namespace': 'default',
      'ce-endpoint': '/transform-input',
      'ce-protocol': 'seldon',
      'ce-traceparent': EVENT.traceparent,
    });
  });

  it('names requests and feedback by their own types, and leaves out what is unknown', () => {
    const request = cloudEventHeaders({ ...EVENT, kind: 'request', traceparent: undefined });
    expect(request['ce-type']).toBe('io.seldon.serving.inference.request');
    expect(request).not.toHaveProperty('ce-traceparent');
    const feedback = cloudEventHeaders({ ...EVENT, kind: 'feedback', requestId: undefined });
    expect(feedback['ce-type']).toBe('io.seldon.serving.feedback');
    expect(feedback).not.toHaveProperty('ce-requestid');
  });

  it('percent-encodes what a header may not hold (a client chooses its puid)', () => {
    expect(encodeHeaderValue('abc-123_~!')).toBe('abc-123_~!');
    expect(encodeHeaderValue('a b"c%d')).toBe('a%20b%22c%25d');
    expect(encodeHeaderValue('é\n€')).toBe('%C3%A9%0A%E2%82%AC');
    expect(cloudEventHeaders({ ...EVENT, requestId: 'line\nbreak' })['ce-requestid']).toBe('line%0Abreak');
    // Every value is one a node:http header accepts.
    expect(() => new Headers(cloudEventHeaders({ ...EVENT, requestId: '\u0000\u{1F600}' }))).not.toThrow();
  });
});
