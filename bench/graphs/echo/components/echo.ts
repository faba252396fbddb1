/** The cheapest possible node: answers a prediction with the request's own payload. */
import type { SeldonMessage } from '../../../../runtime/protocol/seldon-types.ts';

export function predictRaw(message: SeldonMessage): SeldonMessage {
  const { meta: _meta, ...payload } = message;
  return payload;
}
