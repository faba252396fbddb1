/** @module Stand-in nodes for host tests, and a deferred `load()`. */
import type { LoadedNode, NodeHandlers, NodeMetadata } from '../../../runtime/host/types.ts';
import type { SeldonMessage } from '../../../runtime/protocol/seldon-types.ts';

export const METADATA: NodeMetadata = {
  name: 'scorer',
  platform: 'test',
  versions: ['1'],
  inputs: [{ name: 'x', datatype: 'FP32', shape: [-1, 2] }],
  outputs: [{ name: 'y', datatype: 'FP32', shape: [-1, 2] }],
};

/** A MODEL node that doubles tensors, and can be told to fail or to wait. */
export function modelNode(overrides: Partial<NodeHandlers> = {}): LoadedNode & { closed: boolean } {
  const node = {
    name: 'scorer',
    closed: false,
    handlers: {
      async predict(message: SeldonMessage): Promise<SeldonMessage> {
        const tensor = message.data?.tensor;
        if (tensor === undefined) return { data: { ndarray: message.data?.ndarray ?? [] } };
        return { data: { tensor: { shape: tensor.shape, values: tensor.values.map((v) => v * 2) } } };
      },
      async sendFeedback(): Promise<SeldonMessage> {
        return { meta: {} };
      },
      async metadata() {
        return METADATA;
      },
      ...overrides,
    } satisfies NodeHandlers,
    async close() {
      node.closed = true;
    },
  };
  return node;
}

export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

/** A response's JSON body, typed loosely for assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const bodyOf = async (res: Response): Promise<any> => res.json();
