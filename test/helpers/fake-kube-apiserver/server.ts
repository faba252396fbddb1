/**
 * @module A Kubernetes API server on 127.0.0.1 for tests: real HTTPS (a checked-in self-signed certificate for
 * 127.0.0.1), bearer-token authentication, and the real protocol for what `switchyard deploy` uses — discovery,
 * GET/LIST with label selectors, WATCH streams, server-side apply with field managers, force and dry run, merge
 * patch, DELETE with propagation policies — answering errors with the real `Status` objects (401, 403, 404, 409,
 * 415, 422, 500). It is not a cluster: nothing runs, and Knative's controller is simulated only when a test asks
 * (knative-controller.ts).
 *
 *   const api = await FakeKubeApiServer.start();
 *   const kubeconfig = await api.writeKubeconfig(dir);       // for the real @kubernetes/client-node
 *   api.deny({ verb: 'patch', resource: 'services' });        // RBAC says no
 *   await api.close();
 */
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { stringify } from 'yaml';
import { ResourceHandlers, type Reply, type ResourceRequest } from './handlers.ts';
import { apiVersionOf, ResourceRegistry, type ResourceType } from './resources.ts';
import { parseRoute, verbOf } from './routes.ts';
import { ApiStatusError, forbidden, methodNotAllowed, unauthorized } from './status.ts';
import { ObjectStore, type Json } from './store.ts';
import { Watches } from './watch.ts';

const TLS_DIR = path.join(import.meta.dirname, 'tls');

export interface FakeKubeOptions {
  /** Whether Knative Serving's CRDs are installed (default true). */
  knative?: boolean;
  namespaces?: string[];
  token?: string;
  /** The user that RBAC messages name. */
  user?: string;
  now?: () => Date;
  /**
   * RBAC as a Role's rules: when given, only what they allow is allowed (discovery always is). Without them
   * everything is allowed except what `deny` refuses.
   */
  rules?: RbacRule[];
}

/** One rule of a Kubernetes Role. */
export interface RbacRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

export interface DenyRule {
  verb: string;
  resource: string;
  group?: string;
  namespace?: string;
}

export interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType: string;
  verb: string;
  status: number;
}

export class FakeKubeApiServer {
  readonly registry: ResourceRegistry;
  readonly store: ObjectStore;
  readonly token: string;
  readonly user: string;
  readonly caData: string;
  readonly requests: LoggedRequest[] = [];
  readonly #server: Server;
  readonly #handlers: ResourceHandlers;
  readonly #watches: Watches;
  #denied: DenyRule[] = [];
  readonly #rules: RbacRule[] | undefined;
  url = '';

  private constructor(options: FakeKubeOptions) {
    const now = options.now ?? (() => new Date());
    this.registry = new ResourceRegistry({ knative: options.knative ?? true });
    this.store = new ObjectStore({ namespaces: options.namespaces ?? ['default', 'kube-system', 'switchyard'], now });
    this.token = options.token ?? 'fake-token';
    this.user = options.user ?? 'system:serviceaccount:switchyard:switchyard-deployer';
    this.caData = readFileSync(path.join(TLS_DIR, 'server.crt'), 'utf8');
    this.#handlers = new ResourceHandlers(this.store, now);
    this.#watches = new Watches(this.store);
    this.#rules = options.rules;
    this.#server = createServer({ cert: this.caData, key: readFileSync(path.join(TLS_DIR, 'server.key'), 'utf8') }, (req, res) => {
      void this.#handle(req, res);
    });
  }

  static async start(options: FakeKubeOptions = {}): Promise<FakeKubeApiServer> {
    const server = new FakeKubeApiServer(options);
    await new Promise<void>((resolve) => server.#server.listen(0, '127.0.0.1', resolve));
    server.url = `https://127.0.0.1:${(server.#server.address() as AddressInfo).port}`;
    return server;
  }

  /** Makes RBAC refuse `verb` on `resource` (optionally only in one group or namespace). */
  deny(rule: DenyRule): void {
    this.#denied.push(rule);
  }

  allowAll(): void {
    this.#denied = [];
  }

  /** Ends every open watch stream (the client must re-watch). */
  closeWatches(): void {
    this.#watches.closeAll();
  }

  get openWatches(): number {
    return this.#watches.open;
  }

  type(apiVersion: string, kind: string): ResourceType {
    const type = this.registry.byKind(apiVersion, kind);
    if (type === undefined) throw new Error(`the fake apiserver does not serve ${apiVersion} ${kind}`);
    return type;
  }

  /** The stored object, or undefined. */
  get(apiVersion: string, kind: string, namespace: string, name: string): Json | undefined {
    return this.store.get(this.type(apiVersion, kind), namespace, name);
  }

  list(apiVersion: string, kind: string, namespace: string): Json[] {
    return this.store.list(this.type(apiVersion, kind), namespace);
  }

  /** A kubeconfig (YAML) with one cluster, user and context for this server. */
  kubeconfig(options: { context?: string; namespace?: string; token?: string; server?: string } = {}): string {
    const context = options.context ?? 'fake';
    return stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: context, cluster: { server: options.server ?? this.url, 'certificate-authority-data': Buffer.from(this.caData).toString('base64') } }],
      users: [{ name: `${context}-user`, user: { token: options.token ?? this.token } }],
      contexts: [{ name: context, context: { cluster: context, user: `${context}-user`, ...(options.namespace ? { namespace: options.namespace } : {}) } }],
      'current-context': context,
    });
  }

  /** Writes `kubeconfig(options)` to `<dir>/kubeconfig` and returns its path. */
  async writeKubeconfig(dir: string, options: Parameters<FakeKubeApiServer['kubeconfig']>[0] = {}): Promise<string> {
    const file = path.join(dir, 'kubeconfig');
    await writeFile(file, this.kubeconfig(options));
    return file;
  }

  async close(): Promise<void> {
    this.#watches.closeAll();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const route = parseRoute(url.pathname);
    const watch = url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1';
    const verb = route.kind === 'resource' ? verbOf(req.method ?? 'GET', route.name !== undefined, watch) : 'get';
    const log: LoggedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      contentType: req.headers['content-type'] ?? '',
      verb,
      status: 200,
    };
    this.requests.push(log);
    const reply = (r: Reply) => {
      log.status = r.status;
      res.writeHead(r.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(r.body));
    };
    try {
      if (req.headers.authorization !== `Bearer ${this.token}`) throw unauthorized();
      if (route.kind === 'resource') {
        const type = this.registry.byPlural(route.group, route.version, route.plural);
        if (type === undefined) return this.#pageNotFound(res, log);
        const authorize = (v: string) => this.#authorize(v, type, route.namespace, route.name);
        authorize(verb);
        const request: ResourceRequest = {
          type,
          namespace: type.namespaced ? route.namespace : undefined,
          name: route.name,
          subresource: route.subresource,
          query: url.searchParams,
          contentType: log.contentType,
          body,
          authorizeCreate: () => authorize('create'),
        };
        if (watch && req.method === 'GET' && route.name === undefined) return this.#watches.serve(request, res);
        return reply(this.#dispatch(req.method ?? 'GET', request));
      }
      const document = this.#discovery(route);
      if (document === undefined) return this.#pageNotFound(res, log);
      return reply({ status: 200, body: document });
    } catch (error) {
      if (error instanceof ApiStatusError) return reply({ status: error.status.code, body: error.status });
      return reply({ status: 500, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: (error as Error).message, reason: 'InternalError', code: 500 } });
    }
  }

  #dispatch(method: string, req: ResourceRequest): Reply {
    const named = req.name !== undefined;
    if (method === 'GET') return named ? this.#handlers.get(req) : this.#handlers.list(req);
    if (method === 'POST' && !named) return this.#handlers.create(req);
    if (method === 'PATCH' && named) return this.#handlers.patch(req);
    if (method === 'DELETE' && named) return this.#handlers.delete(req);
    throw methodNotAllowed(method);
  }

  #discovery(route: ReturnType<typeof parseRoute>): unknown {
    switch (route.kind) {
      case 'version':
        return { major: '1', minor: '26', gitVersion: 'v1.26.15-switchyard-fake', platform: 'linux/amd64' };
      case 'discovery-core':
        return this.registry.coreVersions(this.url.replace('https://', ''));
      case 'discovery-groups':
        return this.registry.groupList();
      case 'discovery-group':
        return this.registry.groups().includes(route.group) ? this.registry.group(route.group) : undefined;
      case 'discovery-resources':
        return this.registry.resourceList(route.group, route.version);
      default:
        return undefined;
    }
  }

  #authorize(verb: string, type: ResourceType, namespace: string | undefined, name: string | undefined): void {
    const denied = this.#denied.some(
      (rule) => rule.verb === verb && rule.resource === type.plural && (rule.group === undefined || rule.group === type.group) && (rule.namespace === undefined || rule.namespace === namespace),
    );
    const allowed =
      this.#rules === undefined ||
      this.#rules.some((rule) => rule.apiGroups.includes(type.group) && rule.resources.includes(type.plural) && rule.verbs.includes(verb));
    if (denied || !allowed) throw forbidden(this.user, verb, type, type.namespaced ? namespace : undefined, name);
  }

  /** What the real apiserver answers for a path it does not serve (an API group that is not installed). */
  #pageNotFound(res: ServerResponse, log: LoggedRequest): void {
    log.status = 404;
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('404 page not found\n');
  }
}

export { apiVersionOf };
