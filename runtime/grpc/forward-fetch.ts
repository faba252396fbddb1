/**
 * @module The `fetch` of a gRPC front end that runs apart from the REST front door (the `<graph>-grpc` function
 * on Knative): each REST request the gRPC server makes goes to the same path on `baseUrl`, the orchestrator.
 *
 * An orchestrator that cannot be reached is a 503 with a JSON `error` naming it (gRPC UNAVAILABLE), never a throw
 * that would reach the client as INTERNAL.
 */

export type FetchLike = (request: Request) => Promise<Response>;

export function forwardingFetch(baseUrl: string, send: (url: string, init: RequestInit) => Promise<Response> = fetch): FetchLike {
  let base: URL;
  try {
    base = new URL(baseUrl);
  } catch {
    throw new Error(`the orchestrator URL must be an absolute http(s) URL, e.g. http://seed-orchestrator.switchyard.svc.cluster.local; received "${baseUrl}"`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new Error(`the orchestrator URL must be http or https; received "${baseUrl}"`);
  }
  const prefix = base.href.replace(/\/+$/, '');
  return async (request) => {
    const { pathname, search } = new URL(request.url);
    const init: RequestInit = { method: request.method, headers: request.headers };
    if (request.body !== null) init.body = await request.text();
    try {
      return await send(`${prefix}${pathname}${search}`, init);
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const why = cause?.code ?? cause?.message ?? (error as Error).message;
      return Response.json({ error: `the orchestrator at ${prefix} cannot be reached (${why}); it may be starting, retry` }, { status: 503 });
    }
  };
}
