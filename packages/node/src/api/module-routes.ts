import type { IncomingHttpHeaders } from 'node:http';
import {
  type ChainModule,
  checkValue,
  kitError,
  type ModuleRoute,
  parseParams,
  type RequestReader,
  type RouteHost,
  RouteReply,
  Type,
} from '@pujiang/module-kit';
import { blockHash, compilePath } from '@pujiang/protocol';
import type { ValidatorNode } from '../validator-node.js';
import type { ApiHandlers } from './handlers.js';
import { Reply } from './http-io.js';

/** A module's route ready to match: its definition, matcher and owner. */
export interface MountedRoute {
  readonly module: string;
  readonly route: ModuleRoute;
  readonly regex: RegExp;
  readonly names: readonly string[];
}

const NO_QUERY = Type.Object({});

/**
 * The routes of the chain's modules, in module order. Two modules may not claim the same
 * method and path (a well-known path, say): the node refuses to start (`MODULE_INVALID`).
 */
export function mountModuleRoutes(modules: readonly ChainModule[]): MountedRoute[] {
  const claimed = new Map<string, string>();
  const mounted: MountedRoute[] = [];
  for (const module of modules) {
    for (const route of module.routes ?? []) {
      const key = `${route.method} ${route.path.replace(/\{[^}]+\}/g, '{}')}`;
      const other = claimed.get(key);
      if (other !== undefined)
        throw kitError('MODULE_INVALID', `modules ${other} and ${module.name} both claim ${key}`, {
          modules: [other, module.name],
          path: route.path,
        });
      claimed.set(key, module.name);
      mounted.push({ module: module.name, route, ...compilePath(route.path) });
    }
  }
  return mounted;
}

/** What a module's routes may ask of this node (`config`: what the module's `nodeConfig` made of its section). */
export function routeHost(
  node: ValidatorNode,
  handlers: ApiHandlers,
  config: unknown,
  service: unknown,
  module: string,
): RouteHost {
  const chain = node.chain;
  return {
    blocks: {
      header: (height) => chain.header(height),
      hash: (height) => {
        const header = chain.header(height);
        return header === undefined ? undefined : blockHash(chain.genesis.chainHash, header);
      },
      body: (height) => chain.block(height),
      receipts: (height) => chain.receipts(height),
      heightOf: (hash) => chain.heightOfBlock(hash),
      locate: (hash) => chain.locate(hash),
      maxBlockGas: () => chain.config().limits.maxBlockGas,
    },
    stateAfter: (height = chain.height) => {
      const root = chain.rootAfter(height);
      if (root === undefined) return undefined;
      const read = chain.executor.reader(root, module);
      return { height, read };
    },
    scanIndex: (start, end, limit) => chain.scanIndex(module, start, end, limit),
    onCommit: (listener) => node.onCommit((committed) => listener(committed.block.header.height)),
    config,
    ...(service === undefined ? {} : { service }),
    pendingNonce: (address) => node.mempool.pendingNonce(address),
    committedNonce: (address) => chain.nonceOf(address),
    waitForCommit: async (hash, timeoutMs) => {
      const at = await node.waitForCommit(hash, timeoutMs);
      if (!at) return undefined;
      return { height: at.height, code: chain.receipts(at.height)?.[at.index]?.code ?? 'OK' };
    },
    chainId: chain.genesis.chainId,
    chainHash: chain.genesis.chainHash,
    height: () => chain.height,
    query: (module, name, params) => chain.query(module, name, params),
    queryProven: (module, name, params, height) => handlers.provenQuery(module, name, params, height),
    submit: (wire) => node.submit(wire),
  };
}

/**
 * Runs a matched module route: its query parameters and body are checked against the
 * route's schemas first (a mismatch is a 400 with the route's `invalidInput` code).
 */
export async function runModuleRoute(
  mounted: MountedRoute,
  host: RouteHost,
  request: {
    readonly path: Readonly<Record<string, string>>;
    readonly search: URLSearchParams;
    readonly headers: IncomingHttpHeaders;
    readonly client: { address: string; secure: boolean };
    readonly reader: RequestReader | undefined;
  },
  readBody: () => Promise<unknown>,
): Promise<unknown> {
  const { route } = mounted;
  const { path, search, headers, client, reader } = request;
  const raw: Record<string, string> = {};
  for (const [k, v] of search) raw[k] = v;
  const query = parseParams(route.query ?? NO_QUERY, raw, route.invalidInput);
  const body =
    route.body === undefined
      ? undefined
      : checkValue(route.body, await readBody(), route.invalidInput, 'body');
  const flat: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers))
    flat[name] = Array.isArray(value) ? value.join(', ') : value;
  const answer = await route.handle(host, {
    path,
    query,
    body,
    headers: flat,
    client,
    ...(reader ? { reader } : {}),
  });
  return answer instanceof RouteReply
    ? new Reply(answer.status, answer.body, answer.contentType, answer.headers)
    : answer;
}
