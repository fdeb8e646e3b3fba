import type { IncomingMessage } from 'node:http';
import type { Static, TSchema } from '@pujiang/module-kit';
import {
  API,
  type ApiRoute,
  type ApiRouteId,
  fieldOf,
  firstProblem,
  MAX_TX_BYTES,
  type OpenApiDocument,
  type ResponseOf,
} from '@pujiang/protocol';
import { ApiError } from './api-error.js';
import type { ApiHandlers } from './handlers.js';
import { mediaType, parseBinaryBatch, type Reply, readBody, readJsonBody } from './http-io.js';

/** What a core handler gets: the route's path parameters (already checked), the query and the request. */
export interface CoreRequest {
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly req: IncomingMessage;
}

type Answer<K extends ApiRouteId> = ResponseOf<K> | Reply<ResponseOf<K>>;

/** One handler per route of the contract (the WebSocket is served by the event hub); each typed by its route's response. */
export type CoreHandlers = {
  readonly [K in Exclude<ApiRouteId, 'events'>]: (request: CoreRequest) => Answer<K> | Promise<Answer<K>>;
};

/** Runs a body-reading handler within the shared in-flight budget (see `ApiServer.withBody`). */
export type WithBody = <T>(req: IncomingMessage, limit: number, handle: () => Promise<T>) => Promise<T>;

export interface CoreRouteOptions {
  readonly handlers: ApiHandlers;
  readonly openApi: OpenApiDocument;
  readonly metrics: () => Promise<string>;
  readonly health: () => Reply<ResponseOf<'health'>>;
  readonly withBody: WithBody;
  readonly maxBody: number;
  readonly maxBatch: number;
  readonly maxBatchItems: number;
}

/** The core API's handlers, keyed by the contract's route ids: a route without a handler does not compile. */
export function coreHandlers(o: CoreRouteOptions): CoreHandlers {
  const h = o.handlers;
  return {
    status: () => h.status(),
    genesis: () => h.genesis(),
    modules: () => h.modules(),
    openapi: () => o.openApi,
    validators: ({ query }) => h.validators(query.get('height')),
    peers: () => h.peers(),
    blockByHash: ({ params }) => h.blockByHash(params.hash!),
    hooks: ({ params }) => h.hooks(params.height!),
    receipts: ({ params }) => h.receipts(params.height!),
    block: ({ params }) => h.block(params.height!),
    header: ({ params }) => h.header(params.height!),
    submitBatch: ({ req }) =>
      mediaType(req) === 'application/octet-stream'
        ? o.withBody(req, o.maxBatch, async () =>
            h.submitBatchWires(
              parseBinaryBatch(await readBody(req, o.maxBatch), o.maxBatchItems, MAX_TX_BYTES),
            ),
          )
        : o.withBody(req, o.maxBatch, async () =>
            h.submitBatch(checkBody(API.submitBatch, await readJsonBody(req, o.maxBatch))),
          ),
    submit: ({ req }) =>
      o.withBody(req, o.maxBody, async () =>
        h.submit(checkBody(API.submit, await readJsonBody(req, o.maxBody))),
      ),
    tx: ({ params }) => h.tx(params.hash!),
    account: ({ params }) => h.account(params.address!),
    query: ({ params, query }) => h.query(params.module!, params.name!, query),
    search: ({ params, query }) => h.search(params.module!, params.name!, query),
    state: ({ params, query }) => h.state(params.key!, query.get('height')),
    metrics: () => o.metrics(),
    health: () => o.health(),
  };
}

/** A JSON body as the route's contract declares it, else a 400 naming the first bad field. */
function checkBody<R extends ApiRoute & { body: { json: TSchema } }>(
  route: R,
  body: unknown,
): Static<R['body']['json']> {
  const problem = firstProblem(route.body.json, body);
  if (problem) {
    const field = fieldOf(problem.path);
    throw new ApiError(400, 'API_BAD_REQUEST', `body ${field}: ${problem.message}`, { field });
  }
  return body as Static<R['body']['json']>;
}

/** The contract's routes served over plain HTTP, in contract order, with their handlers. */
export function coreRoutes(
  handlers: CoreHandlers,
): { id: string; route: ApiRoute; handle: (r: CoreRequest) => unknown }[] {
  return (Object.entries(API) as [ApiRouteId, ApiRoute][])
    .filter(([id]) => id !== 'events')
    .map(([id, route]) => ({
      id,
      route,
      handle: handlers[id as Exclude<ApiRouteId, 'events'>] as (r: CoreRequest) => unknown,
    }));
}
