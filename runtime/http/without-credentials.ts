/** @module Headers for a server outside the graph: the client's `Authorization` is for this graph, not for it. */
export function withoutCredentials(headers: Readonly<Record<string, string>> = {}): Record<string, string> {
  const { authorization: _dropped, ...rest } = headers;
  return rest;
}
