import type { HashAlgorithm } from '@pujiang/crypto';
import type { Block, BlockHeader, HttpMethod, ProvenQueryResponse, Receipt } from '@pujiang/protocol';
import type { Static, TObject, TSchema } from '@sinclair/typebox';
import { kitError } from './errors.js';

/** What a module's route may ask of the node: the latest state through queries, and admission. */
export interface RouteHost {
  readonly chainId: string;
  readonly chainHash: HashAlgorithm;
  /** The latest committed height. */
  height(): bigint;
  /** A typed module query on the latest state (its parameters checked as at `/v1/query`). */
  query(module: string, name: string, params: Readonly<Record<string, string>>): unknown;
  /**
   * A typed module query on the state committed by header `height` (default: the latest),
   * with a proof of every state key it read, as `GET /v1/query/...?prove=true` answers.
   */
  queryProven(
    module: string,
    name: string,
    params: Readonly<Record<string, string>>,
    height?: bigint,
  ): ProvenQueryResponse;
  /** Admits a signed transaction (its canonical encoding); resolves with its hash. */
  submit(wire: Uint8Array): Promise<string>;
  /** The nonce an account's next transaction takes, counting this node's pending ones. */
  pendingNonce(address: string): bigint;
  /** The nonce an account's next transaction takes in the latest committed state. */
  committedNonce(address: string): bigint;
  /** Resolves when the transaction is committed (with its receipt's code), or undefined after `timeoutMs`. */
  waitForCommit(hash: string, timeoutMs: number): Promise<{ height: bigint; code: string } | undefined>;
  /** This node's settings for the route's module (what its `nodeConfig` returned), if any. */
  readonly config: unknown;
  /** The module's node service on this node (what its `nodeService` returned), if it has one. */
  readonly service?: unknown;
  /** Committed blocks, for routes that speak another standard's view of them (Ethereum JSON-RPC). */
  readonly blocks: RouteBlocks;
  /**
   * Reads of the route's own module state after block `height` (default: the latest), at a
   * root fixed when called, so asynchronous work (an `eth_call`) sees one state throughout.
   * Undefined for a height not committed.
   */
  stateAfter(
    height?: bigint,
  ): { readonly height: bigint; read(key: string): Uint8Array | undefined } | undefined;
  /** Keys of the route's module search index in [start, end), at most `limit`. */
  scanIndex(start: string, end: string, limit: number): string[];
  /** Calls `listener` with each committed height; returns the unsubscribe function. */
  onCommit(listener: (height: bigint) => void): () => void;
}

/** What a route may read of committed blocks (undefined: not committed, or pruned). */
export interface RouteBlocks {
  header(height: bigint): BlockHeader | undefined;
  /** The block's hash (hex), as `GET /v1/blocks` gives it. */
  hash(height: bigint): string | undefined;
  body(height: bigint): Block | undefined;
  receipts(height: bigint): readonly Receipt[] | undefined;
  /** The height of a block by its hash (hex). */
  heightOf(blockHash: string): bigint | undefined;
  /** Where a transaction (by its chain hash, hex) was committed. */
  locate(txHash: string): { readonly height: bigint; readonly index: number } | undefined;
  /** The gas all transactions of a block may use together, in force now. */
  maxBlockGas(): number;
}

/**
 * A route's answer with a status, media type or headers of its own, where a standard
 * requires them (201 Created, `application/did+ld+json`, a problem-details error body).
 * A route that returns a plain value answers 200 with JSON.
 */
export class RouteReply {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly contentType = 'application/json',
    readonly headers: Readonly<Record<string, string>> = {},
  ) {}
}

export interface RouteInput<Q = Record<string, unknown>, B = unknown> {
  /** Path parameters (`{name}` segments), URL-decoded. */
  readonly path: Readonly<Record<string, string>>;
  readonly query: Q;
  readonly body: B;
  /** The request's headers, names lowercased (e.g. `accept`, `authorization`). */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** Who asked: the peer's address, and whether the connection is TLS. */
  readonly client: { readonly address: string; readonly secure: boolean };
  /** The member that signed the request (RFC 9421), when it was signed and the signature verified. */
  readonly reader?: RequestReader;
}

/** A member identified by a request's signature: its address, organization and role. */
export interface RequestReader {
  readonly address: string;
  readonly org: string;
  readonly role: string;
}

/**
 * An HTTP route a module adds: under `/v1/modules/<module>/...`, or (with `wellKnown`) at
 * the path a standard requires (`/rpc`, `/credentials/issue`, `/1.0/identifiers/{did}`).
 * Query parameters and body are checked against their schemas before `handle` runs; a
 * mismatch is a 400 with `invalidInput`. The node's router and `/v1/openapi.json` are
 * derived from the same definition.
 */
/** One documented answer of a route: what its body is, and in which media types. */
export interface RouteReplyDoc {
  readonly description: string;
  readonly schema: TSchema;
  /** Default application/json. */
  readonly mediaTypes?: readonly string[];
}

export interface ModuleRoute {
  readonly method: HttpMethod;
  readonly path: string;
  readonly summary: string;
  readonly wellKnown?: boolean;
  readonly query?: TObject;
  readonly body?: TSchema;
  readonly response: TSchema;
  /** The error codes this route may answer with (published in OpenAPI). */
  readonly errors?: readonly string[];
  readonly invalidInput: string;
  /** The route wants `Authorization: Bearer <token>` (published as OpenAPI security; the handler checks it). */
  readonly bearer?: boolean;
  /**
   * Served without a member's signature even where the node's reads are members-only: what
   * a standard makes public (DID resolution, status lists, credential verification).
   */
  readonly public?: boolean;
  /**
   * A POST that only reads (Ethereum JSON-RPC's `eth_call`): guarded as GETs are on a
   * members-only node, so it needs a member's signature or certificate there.
   */
  readonly read?: boolean;
  /**
   * Every status the route answers with, and its body (published in OpenAPI, and checked
   * against live answers by the tests). Without it: 200 `response`, and 400 the API's error
   * body with `errors`.
   */
  readonly replies?: Readonly<Record<number, RouteReplyDoc>>;
  handle(host: RouteHost, input: RouteInput): unknown | Promise<unknown>;
}

/** One accepted WebSocket, as a module's socket handler sees it (the node owns the socket). */
export interface SocketConnection {
  /** Sends a text frame; a connection that falls too far behind is closed by the node. */
  send(text: string): void;
  close(code: number, reason: string): void;
  onMessage(listener: (text: string) => void): void;
  onClose(listener: () => void): void;
  /** The member that signed the upgrade request, when it was signed. */
  readonly reader?: RequestReader;
}

/**
 * A WebSocket endpoint of a module, at a well-known path (`/rpc` for Ethereum JSON-RPC's
 * `eth_subscribe`) or under `/v1/modules/<module>/`. The node accepts the upgrade (after the
 * members-only read check), bounds frames and connections, and hands each connection over.
 */
export interface ModuleSocket {
  readonly path: string;
  readonly summary: string;
  readonly wellKnown?: boolean;
  /** Largest frame a client may send (bytes). */
  readonly maxMessageBytes: number;
  open(host: RouteHost, connection: SocketConnection): void;
}

export function defineRoute<Q extends TObject, B extends TSchema, R extends TSchema>(route: {
  readonly method: HttpMethod;
  readonly path: string;
  readonly summary: string;
  readonly wellKnown?: boolean;
  readonly query?: Q;
  readonly body?: B;
  readonly response: R;
  readonly errors?: readonly string[];
  readonly invalidInput?: string;
  readonly bearer?: boolean;
  readonly public?: boolean;
  readonly read?: boolean;
  readonly replies?: Readonly<Record<number, RouteReplyDoc>>;
  handle(
    host: RouteHost,
    input: RouteInput<Static<Q>, Static<B>>,
  ): Static<R> | RouteReply | Promise<Static<R> | RouteReply>;
}): ModuleRoute {
  return {
    ...route,
    invalidInput: route.invalidInput ?? 'API_BAD_REQUEST',
    handle: (host, input) => route.handle(host, input as RouteInput<Static<Q>, Static<B>>),
  };
}

const SEGMENT = /^([A-Za-z0-9._~-]+|\{[A-Za-z][A-Za-z0-9_]*\})$/;

/** Routes must be well-formed paths in the module's own space (or declared well-known, outside `/v1`). */
export function checkRoutes(module: string, routes: readonly ModuleRoute[]): void {
  const seen = new Set<string>();
  for (const route of routes) {
    const segments = route.path.split('/');
    const wellFormed = route.path.startsWith('/') && segments.slice(1).every((s) => SEGMENT.test(s));
    const own = route.path.startsWith(`/v1/modules/${module}/`);
    const placed = route.wellKnown
      ? !route.path.startsWith('/v1/') && route.path !== '/metrics' && route.path !== '/healthz'
      : own;
    const key = `${route.method} ${route.path}`;
    if (!wellFormed || !placed || seen.has(key))
      throw kitError(
        'MODULE_INVALID',
        `module ${module}: route ${key} must be under /v1/modules/${module}/ (or well-known, outside /v1), once`,
        { module, path: route.path },
      );
    seen.add(key);
  }
}
