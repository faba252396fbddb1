/**
 * @module Which objects an earlier deploy of a graph left that this deploy no longer has: those labelled
 * `switchyard.dev/graph=<graph>` that are not among the objects being applied, in delete order.
 */
import { deleteOrder } from './order.ts';
import { GRAPH_LABEL, refOf, sameRef, type KubeObject } from './types.ts';

export function pruneSet(live: KubeObject[], desired: KubeObject[], graph: string): KubeObject[] {
  const wanted = desired.map(refOf);
  const stale = live.filter((object) => object.metadata.labels?.[GRAPH_LABEL] === graph && !wanted.some((ref) => sameRef(ref, refOf(object))));
  return deleteOrder(stale);
}
