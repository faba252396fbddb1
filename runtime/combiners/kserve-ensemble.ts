/**
 * @module The `kserve-ensemble` combiner: what KServe's InferenceGraph `Ensemble` node answers, a map from each
 * step (here, each child, by name) to its answer in KServe V1's form (`{"predictions": [...]}`, as
 * protocol/kserve-v1-seldon.ts writes a Seldon answer) — `{"model-a": {"predictions": [...]}, "model-b": {...}}`,
 * as the graph's `jsonData`, which the V1 front door answers as it is.
 *
 * It combines whole messages, not tensors: children may answer anything, and nothing is compared or checked.
 */
import { seldonToPredictResponse } from '../protocol/kserve-v1-seldon.ts';
import type { SeldonMessage } from '../protocol/seldon-types.ts';

export function kserveEnsemble(messages: readonly SeldonMessage[], childNames: readonly string[]): SeldonMessage {
  const map: Record<string, unknown> = {};
  messages.forEach((message, i) => {
    map[childNames[i] ?? String(i)] = seldonToPredictResponse(message);
  });
  return { jsonData: map };
}
