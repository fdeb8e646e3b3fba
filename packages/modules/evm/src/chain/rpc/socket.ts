import type { ModuleSocket, RouteHost, SocketConnection } from '@pujiang/module-kit';
import type { SocketSession } from './socket-session.js';

/** At most this many requests waiting for their answer per connection. */
export const MAX_QUEUED = 16;

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
    // The session (the interpreter, views, subscriptions) loads with the first request.
    let session: Promise<SocketSession> | undefined;
    const sessionOf = () =>
      (session ??= import('./socket-session.js').then((m) => m.openSession(host, connection)));
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
        .then(async () => (await sessionOf()).handle(text))
        .catch(() => connection.close(1011, 'internal error'))
        .finally(() => {
          queued--;
        });
    });
    connection.onClose(() => {
      void session?.then((s) => s.close());
    });
  },
};
