import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import type { RequestReader, RouteHost } from '@pujiang/module-kit';
import {
  API,
  type ApiRoute,
  compilePath,
  pathParamProblem,
  queryParamProblem,
  type ResponseOf,
} from '@pujiang/protocol';
import type { ValidatorNode } from '../validator-node.js';
import { ApiError } from './api-error.js';
import { ConsoleAssets, type ConsoleOptions } from './console-assets.js';
import { coreHandlers, coreRoutes } from './core-routes.js';
import { EventHub } from './events.js';
import { ApiHandlers, MAX_BATCH } from './handlers.js';
import { BodyBudget, errorBody, Reply, readJsonBody, sendJson, sendText } from './http-io.js';
import { openApiFor } from './module-openapi.js';
import { mountModuleRoutes, routeHost, runModuleRoute } from './module-routes.js';
import { ModuleSockets } from './module-sockets.js';
import { type ReadMode, RequestAuthenticator } from './read-guard.js';
import { TESTING_CLOCK_MAX_BODY, TESTING_CLOCK_PATH, TestingClockRoute } from './testing-clock.js';

export interface ApiServerOptions {
  /** Interface to listen on (default 127.0.0.1). */
  readonly host?: string;
  /** Port (0: any free port). */
  readonly port: number;
  /** Largest JSON body of a single submission (default 512 KiB) and of a batch (default 8 MiB). */
  readonly maxBodyBytes?: number;
  readonly maxBatchBodyBytes?: number;
  /** Request bodies held at once across all requests (default 64 MiB); beyond it, 503 API_BUSY. */
  readonly maxBodyBytesInFlight?: number;
  /** Log for unexpected (non-Pujiang) errors. */
  readonly log?: (line: string) => void;
  /** Serve HTTPS with this certificate chain and key (PEM); default plain HTTP. */
  readonly tls?: { readonly cert: string; readonly key: string };
  /** Each module's node settings (what its `nodeConfig` returned), by module name. */
  readonly moduleConfig?: ReadonlyMap<string, unknown>;
  /** Each module's node service (what its `nodeService` returned), by module name. */
  readonly moduleServices?: ReadonlyMap<string, unknown>;
  /** `members`: reads need a member's signature (RFC 9421), but for the public routes. Default `open`. */
  readonly reads?: ReadMode;
  /** Serve the web console's build at `/console/` (public: the page holds no chain data). */
  readonly console?: ConsoleOptions;
  /** SHA-256 digests (hex) of the bearer tokens that may move a test chain's clock (config `testing`). */
  readonly clockTokenSha256?: readonly string[];
}

/** Core routes any caller may read on a members-only node: what the node and chain are, not their data. */
const PUBLIC_CORE_ROUTES = new Set(['status', 'genesis', 'modules', 'openapi', 'metrics', 'health']);

/** A route ready to match: a core route of the contract, or a module's. */
/** Methods a metrics label may name; anything a client invents counts as `other`. */
const METHODS = new Set(['GET', 'POST', 'HEAD', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']);

interface Route {
  readonly method: 'GET' | 'POST';
  /** The path as declared (`/v1/txs/{hash}`): the metrics' route label, of bounded cardinality. */
  readonly template: string;
  readonly regex: RegExp;
  readonly names: readonly string[];
  /** The contract's definition, whose path parameters are checked before the handler runs. */
  readonly contract?: ApiRoute;
  /** Served unsigned on a members-only node. */
  readonly public: boolean;
  /** A read (every GET, and a module's POST that only reads): guarded on a members-only node. */
  readonly read: boolean;
  readonly handle: (
    params: Record<string, string>,
    search: URLSearchParams,
    req: IncomingMessage,
    reader: RequestReader | undefined,
  ) => unknown;
}

/**
 * The node's HTTP/JSON API under `/v1`, the `/v1/events` WebSocket, `/metrics` and
 * `/healthz`. Requests are bounded (URL, headers, body, time); any refusal is a 4xx with a
 * typed error body, and no request can throw out of the handler into the node.
 */
export class ApiServer {
  readonly server: Server;
  readonly events: EventHub;
  private readonly handlers: ApiHandlers;
  private readonly routes: Route[];
  /** Each request's route template, for the metrics (a method not allowed counts as unmatched). */
  private readonly matched = new WeakMap<IncomingMessage, string>();
  private readonly bodies: BodyBudget;
  private readonly auth: RequestAuthenticator;
  private readonly sockets: ModuleSockets;
  private readonly hosts = new Map<string, RouteHost>();
  private readonly consoleAssets: ConsoleAssets | undefined;

  constructor(
    private readonly node: ValidatorNode,
    private readonly o: ApiServerOptions,
  ) {
    this.consoleAssets = o.console ? new ConsoleAssets(o.console) : undefined;
    this.handlers = new ApiHandlers(node);
    this.events = new EventHub(node);
    const h = this.handlers;
    const maxBody = o.maxBodyBytes ?? 512 * 1024;
    const maxBatch = o.maxBatchBodyBytes ?? 8 * 1024 * 1024;
    this.bodies = new BodyBudget(o.maxBodyBytesInFlight ?? 64 * 1024 * 1024);
    this.auth = new RequestAuthenticator(node, o.reads ?? 'open');
    const handlers = coreHandlers({
      handlers: h,
      openApi: openApiFor(node.chain.executor.enabledModules),
      metrics: () => this.metrics(),
      health: () => this.health(),
      withBody: (req, limit, handle) => this.withBody(req, limit, handle),
      maxBody,
      maxBatch,
      maxBatchItems: MAX_BATCH,
    });
    this.routes = coreRoutes(handlers).map(({ id, route, handle }) => ({
      method: route.method,
      template: route.path,
      ...compilePath(route.path),
      contract: route,
      public: PUBLIC_CORE_ROUTES.has(id),
      read: route.method === 'GET',
      handle: (params, query, req) => handle({ params, query, req }),
    }));
    // A test chain's clock (testing-clock.ts): refused on any other chain, token-only on a test chain.
    const clock = new TestingClockRoute(node, o.clockTokenSha256 ?? []);
    for (const method of ['GET', 'POST'] as const)
      this.routes.push({
        method,
        template: TESTING_CLOCK_PATH,
        ...compilePath(TESTING_CLOCK_PATH),
        public: false,
        read: false,
        handle: (_params, _query, req) => {
          try {
            clock.authorize(req);
          } catch (error) {
            req.resume(); // a refused body is discarded
            throw error;
          }
          if (method === 'GET') return clock.state();
          return this.withBody(req, TESTING_CLOCK_MAX_BODY, async () =>
            clock.change(await readJsonBody(req, TESTING_CLOCK_MAX_BODY)),
          );
        },
      });
    // Modules' own routes (under /v1/modules/<name>/, or a standard's well-known path) come after the core's.
    const enabled = node.chain.executor.enabledModules;
    this.sockets = new ModuleSockets(enabled, [API.events.path]);
    for (const mounted of mountModuleRoutes(enabled)) {
      const host = this.hostOf(mounted.module);
      this.routes.push({
        method: mounted.route.method,
        template: mounted.route.path,
        regex: mounted.regex,
        names: mounted.names,
        public: mounted.route.public === true,
        read: mounted.route.method === 'GET' || mounted.route.read === true,
        handle: (params, search, req, reader) => {
          const input = { path: params, search, headers: req.headers, client: clientOf(req), reader };
          return mounted.route.body === undefined
            ? runModuleRoute(mounted, host, input, async () => undefined)
            : this.withBody(req, maxBody, () =>
                runModuleRoute(mounted, host, input, () => readJsonBody(req, maxBody)),
              );
        },
      });
    }
    // Idle keep-alive connections stay open longer than clients' pools keep them (undici: 4 s
    // by default), so a client never sends on a socket the server is closing.
    const serverOptions = {
      maxHeaderSize: 16 * 1024,
      requestTimeout: 120_000,
      headersTimeout: 20_000,
      keepAliveTimeout: 65_000,
    };
    const onRequest = (req: IncomingMessage, res: ServerResponse) => {
      const started = performance.now();
      res.once('finish', () =>
        node.metrics.apiRequest(
          this.matched.get(req) ?? 'unmatched',
          METHODS.has(req.method ?? '') ? req.method! : 'other',
          res.statusCode,
          (performance.now() - started) / 1000,
        ),
      );
      this.handle(req, res).catch((error) => this.fail(req, res, error));
    };
    this.server = o.tls
      ? createHttpsServer(
          {
            ...serverOptions,
            cert: o.tls.cert,
            key: o.tls.key,
            // Members may authenticate reads with their certificates (mutual TLS); the node
            // checks the key against the chain's identities, not a CA chain of its own.
            ...(o.reads === 'members' ? { requestCert: true, rejectUnauthorized: false } : {}),
          },
          onRequest,
        )
      : createServer(serverOptions, onRequest);
    this.server.maxConnections = 2048;
    this.server.on('clientError', (_error, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
      else socket.destroy();
    });
    this.server.on('upgrade', (req, socket, head) => {
      socket.on('error', () => socket.destroy());
      const url = parseUrl(req.url);
      const module = url === undefined ? undefined : this.sockets.moduleAt(url.pathname);
      if (url !== undefined && module !== undefined) {
        // A module's socket (eth_subscribe): a read, like the event stream.
        this.auth.reader(req, url, false).then(
          (reader) => {
            if (!this.sockets.accept(url.pathname, this.hostOf(module), req, socket, head, reader))
              refuseUpgrade(
                socket,
                new ApiError(503, 'API_TOO_MANY_SUBSCRIBERS', 'too many open sockets; try later'),
              );
          },
          (error) => refuseUpgrade(socket, error),
        );
        return;
      }
      if (url?.pathname !== API.events.path) {
        socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\n\r\n');
        return;
      }
      // An event stream is a read: on a members-only node it needs a member's signature.
      this.auth.reader(req, url, false).then(
        () => this.events.handleUpgrade(req, socket, head, url.searchParams),
        (error) => refuseUpgrade(socket, error),
      );
    });
  }

  /** The route host of a module (one per module, shared by its routes and sockets). */
  private hostOf(module: string): RouteHost {
    let host = this.hosts.get(module);
    if (host === undefined) {
      host = routeHost(
        this.node,
        this.handlers,
        this.o.moduleConfig?.get(module),
        this.o.moduleServices?.get(module),
        module,
      );
      this.hosts.set(module, host);
    }
    return host;
  }

  /**
   * Runs `handle` (which reads the body) within the shared in-flight budget; the reservation
   * (the declared length, or the limit when none is declared) lasts until the handler is
   * done, since the parsed body lives that long.
   */
  private async withBody<T>(req: IncomingMessage, limit: number, handle: () => Promise<T>): Promise<T> {
    const declared = Number(req.headers['content-length']);
    let release: () => void;
    try {
      release = this.bodies.reserve(
        Number.isSafeInteger(declared) && declared >= 0 && declared <= limit ? declared : limit,
      );
    } catch (error) {
      req.resume(); // discard the body; the refusal is answered
      throw error;
    }
    try {
      return await handle();
    } finally {
      release();
    }
  }

  /** Starts listening; resolves with the bound port. */
  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.o.port, this.o.host ?? '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve((this.server.address() as AddressInfo).port);
      });
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = parseUrl(req.url);
    if (!url) throw new ApiError(400, 'API_BAD_REQUEST', 'the request target is not a valid path');
    const path = url.pathname;
    if (this.consoleAssets?.serve(req, res, path)) return;
    let pathMatched = false;
    for (const route of this.routes) {
      const match = route.regex.exec(path);
      if (!match) continue;
      pathMatched = true;
      if (route.method !== req.method) continue;
      this.matched.set(req, route.template);
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => {
        params[name] = decodeURIComponent(match[i + 1]!);
      });
      const bad = route.contract && pathParamProblem(route.contract, params);
      if (bad !== undefined) {
        req.resume();
        throw new ApiError(400, 'API_BAD_REQUEST', `path parameter ${bad} is malformed`, { parameter: bad });
      }
      const badQuery = route.contract && queryParamProblem(route.contract, url.searchParams);
      if (badQuery) {
        req.resume();
        throw new ApiError(400, 'API_BAD_REQUEST', `${badQuery.parameter} ${badQuery.message}`, {
          parameter: badQuery.parameter,
        });
      }
      const reader = route.read ? await this.auth.reader(req, url, route.public) : undefined;
      const result = await route.handle(params, url.searchParams, req, reader);
      const reply = result instanceof Reply ? result : new Reply(200, result);
      if (route.contract?.produces === 'text/plain')
        return sendText(res, reply.status, 'text/plain; version=0.0.4; charset=utf-8', String(reply.body));
      return sendJson(res, reply.status, reply.body, reply.contentType, reply.headers);
    }
    req.resume();
    if (pathMatched)
      throw new ApiError(405, 'API_METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${path}`);
    throw new ApiError(404, 'API_NOT_FOUND', `no endpoint ${path}`, { path });
  }

  private metrics(): Promise<string> {
    return this.node.metrics.render();
  }

  private health(): Reply<ResponseOf<'health'>> {
    const failure = this.node.driver.failure;
    if (failure)
      return new Reply(503, {
        status: 'failed',
        error: { code: 'NODE_CONSENSUS_FAILED', message: String(failure), details: {} },
      });
    return new Reply(200, { status: 'ok', height: Number(this.node.chain.height) });
  }

  private fail(req: IncomingMessage, res: ServerResponse, error: unknown): void {
    const { status, body } = errorBody(error);
    if (status >= 500 && status !== 503)
      this.o.log?.(`api: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    // A body refused before it was read would be taken for the next request on this
    // connection: close it instead.
    if (!req.complete && !res.headersSent) res.setHeader('connection', 'close');
    sendJson(res, status, body);
  }

  async close(): Promise<void> {
    this.events.close();
    this.sockets.close();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

function refuseUpgrade(socket: Duplex, error: unknown): void {
  const { status, body } = errorBody(error);
  const text = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${status} Refused\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n\r\n${text}`,
  );
}

function parseUrl(target: string | undefined): URL | undefined {
  if (!target || target.length > 8192 || !target.startsWith('/')) return undefined;
  try {
    const url = new URL(target, 'http://node.invalid');
    decodeURIComponent(url.pathname);
    return url;
  } catch {
    return undefined;
  }
}

/** The peer's address and whether the connection is TLS, for routes that authorize by them. */
function clientOf(req: IncomingMessage): { address: string; secure: boolean } {
  return {
    address: req.socket.remoteAddress ?? '',
    secure: (req.socket as TLSSocket).encrypted === true,
  };
}
