import { randomBytes } from '@pujiang/crypto';
import type { RouteHost, SocketConnection } from '@pujiang/module-kit';
import { bytesToHex } from '@pujiang/types';
import { EVM_BLOCK_GAS_LIMIT } from '../vm.js';
import { evmBlock } from './block-view.js';
import { dispatch, parseError } from './dispatch.js';
import { invalidParams, RPC, RpcError } from './errors.js';
import { type EthLog, ethBlock, txLogs } from './eth-json.js';
import { logFilter } from './logs.js';
import type { Method } from './methods.js';

/** At most this many subscriptions per connection. */
export const MAX_SUBSCRIPTIONS = 32;

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

/** A connection's subscriptions and how its requests are answered. */
export interface SocketSession {
  /** Answers one request (a call or a batch), or a parse error. */
  handle(text: string): Promise<void>;
  /** Ends every subscription. */
  close(): void;
}

export function openSession(host: RouteHost, connection: SocketConnection): SocketSession {
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
  return {
    async handle(text) {
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        connection.send(JSON.stringify(parseError()));
        return;
      }
      connection.send(JSON.stringify(await dispatch(host, body, methods)));
    },
    close() {
      for (const stop of subscriptions.values()) stop();
      subscriptions.clear();
    },
  };
}
