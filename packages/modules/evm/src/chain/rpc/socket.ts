import { randomBytes } from '@pujiang/crypto';
import type { ModuleSocket, RouteHost, SocketConnection } from '@pujiang/module-kit';
import { bytesToHex } from '@pujiang/types';
import { EVM_BLOCK_GAS_LIMIT } from '../vm.js';
import { evmBlock } from './block-view.js';
import { invalidParams, RPC, RpcError } from './errors.js';
import { type EthLog, ethBlock, txLogs } from './eth-json.js';
import { logFilter } from './logs.js';
import type { Method } from './methods.js';
import { dispatch, parseError } from './route.js';

/** At most this many subscriptions per connection. */
export const MAX_SUBSCRIPTIONS = 32;
/** At most this many requests waiting for their answer per connection. */
export const MAX_QUEUED = 16;

type Notify = (height: bigint) => void;

function subscription(
  host: RouteHost,
  kind: unknown,
  options: unknown,
  push: (result: unknown) => void,
): Notify {
  if (kind === 'newHeads')
    return (height) => {
      const block = evmBlock(host, height);
      if (block === undefined) return;
      const { transactions: _omitted, ...header } = ethBlock(block, false, EVM_BLOCK_GAS_LIMIT);
      push(header);
    };
  if (kind === 'logs') {
    const matches = logFilter(options === undefined ? {} : (options as Record<string, unknown>));
    return (height) => {
      const block = evmBlock(host, height);
      if (block === undefined) return;
      for (const t of block.txs)
        if (t.receipt.code === 'OK')
          for (const log of txLogs(block, t)) if (matches(log as EthLog)) push(log);
    };
  }
  throw invalidParams('params[0]: subscriptions are newHeads and logs');
}

/**
 * Ethereum JSON-RPC over WebSocket at `/rpc`: every method, plus `eth_subscribe` to
 * `newHeads` and `logs` (with an address and topics filter) and `eth_unsubscribe`.
 * Notifications are `eth_subscription` messages, one per new block or matching log.
 */
export const rpcSocket: ModuleSocket = {
  path: '/rpc',
  wellKnown: true,
  summary: 'Ethereum JSON-RPC 2.0 over WebSocket, with eth_subscribe (newHeads, logs)',
  maxMessageBytes: 256 * 1024,
  open(host: RouteHost, connection: SocketConnection) {
    const subscriptions = new Map<string, () => void>();
    const methods: Record<string, Method> = {
      eth_subscribe: (_host, [kind, options]) => {
        if (subscriptions.size >= MAX_SUBSCRIPTIONS)
          throw new RpcError(RPC.LIMIT_EXCEEDED, `at most ${MAX_SUBSCRIPTIONS} subscriptions per connection`);
        const id = `0x${bytesToHex(randomBytes(16))}`;
        const push = (result: unknown) =>
          connection.send(
            JSON.stringify({
              jsonrpc: '2.0',
              method: 'eth_subscription',
              params: { subscription: id, result },
            }),
          );
        const notify = subscription(host, kind, options, push);
        subscriptions.set(id, host.onCommit(notify));
        return id;
      },
      eth_unsubscribe: (_host, [id]) => {
        const stop = typeof id === 'string' ? subscriptions.get(id) : undefined;
        if (stop === undefined) return false;
        stop();
        subscriptions.delete(id as string);
        return true;
      },
    };
    // One request at a time per connection, answered in order; a client that queues more
    // than MAX_QUEUED unanswered ones is closed rather than buffered.
    let queued = 0;
    let turn: Promise<void> = Promise.resolve();
    connection.onMessage((text) => {
      if (++queued > MAX_QUEUED) {
        connection.close(1013, `more than ${MAX_QUEUED} requests waiting`);
        return;
      }
      turn = turn
        .then(async () => {
          let body: unknown;
          try {
            body = JSON.parse(text);
          } catch {
            connection.send(JSON.stringify(parseError()));
            return;
          }
          try {
            connection.send(JSON.stringify(await dispatch(host, body, methods)));
          } catch {
            connection.close(1011, 'internal error');
          }
        })
        .finally(() => {
          queued--;
        });
    });
    connection.onClose(() => {
      for (const stop of subscriptions.values()) stop();
      subscriptions.clear();
    });
  },
};
