import { defineRoute, Type } from '@pujiang/module-kit';

/**
 * Ethereum JSON-RPC 2.0 at `/rpc`: one call or a batch, answered with HTTP 200 and JSON-RPC
 * results or errors, as Ethereum nodes do.
 */
export const rpcRoute = defineRoute({
  method: 'POST',
  path: '/rpc',
  wellKnown: true,
  // Its calls read state (a transaction it takes is signed anyway): members-only nodes guard it.
  read: true,
  summary: 'Ethereum JSON-RPC 2.0 (eth_*, net_*, web3_*): one call or a batch',
  body: Type.Unknown(),
  response: Type.Unknown(),
  invalidInput: 'EVM_BAD_RPC',
  // The interpreter and the views load on the first request.
  handle: async (host, { body }) => (await import('./dispatch.js')).dispatch(host, body),
});
