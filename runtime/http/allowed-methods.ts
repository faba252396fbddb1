/**
 * @module Which methods an app serves at a path: what a 405's `Allow` header lists.
 *
 * Hono answers an unmatched method with its not-found handler; Seldon Core's executor and KServe's server
 * answer `GET /api/v1.0/predictions` with 405 Method Not Allowed. An app's not-found handler calls
 * `methodNotAllowed(app, method, path)`: an answer means the path exists and only the method is wrong.
 * Routes registered for every method (`use`, `all`: middleware) are left out, so they match nothing here.
 */
import type { Hono } from 'hono';
import { PatternRouter } from 'hono/router/pattern-router';

type AnyHono = Hono<any, any, any>;

const cache = new WeakMap<AnyHono, { routeCount: number; router: PatternRouter<string>; methods: string[] }>();

function routerOf(app: AnyHono): { router: PatternRouter<string>; methods: string[] } {
  const cached = cache.get(app);
  if (cached !== undefined && cached.routeCount === app.routes.length) return cached;
  const router = new PatternRouter<string>();
  const methods = new Set<string>();
  for (const route of app.routes) {
    if (route.method === 'ALL') continue;
    router.add(route.method, route.path, route.method);
    methods.add(route.method);
  }
  const built = { routeCount: app.routes.length, router, methods: [...methods] };
  cache.set(app, built);
  return built;
}

/** The methods `app` has a route for at `path` (HEAD with GET, as Hono serves it), sorted; [] for none. */
export function allowedMethods(app: AnyHono, path: string): string[] {
  const { router, methods } = routerOf(app);
  const allowed = new Set<string>();
  for (const method of methods) {
    const [matches] = router.match(method, path);
    if (matches.length > 0) allowed.add(method);
  }
  if (allowed.has('GET')) allowed.add('HEAD');
  return [...allowed].sort();
}

/**
 * What a not-found handler answers when `path` exists for other methods: the `Allow` header's value and the
 * message; undefined when no method serves `path` (a real 404).
 */
export function methodNotAllowed(app: AnyHono, method: string, path: string): { allow: string; message: string } | undefined {
  const allowed = allowedMethods(app, path);
  if (allowed.length === 0) return undefined;
  return { allow: allowed.join(', '), message: `${method} is not allowed on ${path}: use ${allowed.join(' or ')}` };
}
