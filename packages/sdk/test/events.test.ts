import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { isPujiangError } from '@pujiang/types';
import { type WebSocket, WebSocketServer } from 'ws';
import { type EventMessage, eventStream, eventsUrl, PujiangClient, subscribe } from '../src/index.js';
import { closedPort } from './fixtures.js';

const HASH = 'ab'.repeat(32);
const REPLAY: EventMessage[] = [
  { type: 'block', height: 1, hash: HASH, time: '1700000000000', txCount: 1 },
  { type: 'tx', height: 1, index: 0, hash: HASH, code: 'OK' },
  {
    type: 'event',
    height: 1,
    txHash: HASH,
    txIndex: 0,
    eventIndex: 0,
    event: { module: 'bank', type: 'transfer', attributes: { amount: '5' } },
  },
  { type: 'caughtUp', height: 1 },
];

describe('events', () => {
  let wss: WebSocketServer;
  let url: string;
  /** What the server does with each connection, by test. */
  let script: (socket: WebSocket, path: string) => void;
  const paths: string[] = [];

  before(async () => {
    wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
    url = `http://127.0.0.1:${(wss.address() as AddressInfo).port}`;
    wss.on('connection', (socket, request) => {
      paths.push(request.url ?? '');
      script(socket, request.url ?? '');
    });
  });
  after(async () => {
    for (const client of wss.clients) client.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  });

  it('builds the subscription URL', () => {
    assert.equal(
      eventsUrl({
        url: 'https://node.example/api/',
        fromHeight: 3,
        blocks: false,
        txs: true,
        module: 'bank',
        type: 'transfer',
        attributes: { to: 'aa', 'x y': '1' },
      }),
      'wss://node.example/api/v1/events?fromHeight=3&blocks=false&txs=true&module=bank&type=transfer&attr.to=aa&attr.x+y=1',
    );
    assert.equal(eventsUrl({ url: 'ws://h:1/v1/events' }), 'ws://h:1/v1/events');
    assert.throws(() => eventsUrl({ url: 'ftp://h' }), { code: 'SDK_INVALID_ARGUMENT' });
    assert.throws(() => eventsUrl({ url: 'ws://h', fromHeight: 0 }), { code: 'SDK_INVALID_ARGUMENT' });
  });

  it('delivers messages in order and surfaces a server error', async () => {
    script = (socket) => {
      for (const m of REPLAY) socket.send(JSON.stringify(m));
      socket.send(
        JSON.stringify({
          type: 'error',
          error: { code: 'API_TOO_MANY_REQUESTS', message: 'slow', details: {} },
        }),
      );
    };
    const got: EventMessage[] = [];
    const errors: Error[] = [];
    const sub = subscribe({ url, fromHeight: 1, events: true }, (m) => got.push(m), {
      onError: (e) => errors.push(e),
    });
    const end = await sub.done;
    assert.ok(isPujiangError(end, 'API_TOO_MANY_REQUESTS'));
    assert.deepEqual(got.slice(0, 4), REPLAY);
    assert.equal(got[4]!.type, 'error');
    assert.deepEqual(errors, [end]);
    assert.equal(paths.at(-1), '/v1/events?fromHeight=1&events=true');
  });

  it('iterates until the stream drops, then throws', async () => {
    script = (socket) => {
      for (const m of REPLAY) socket.send(JSON.stringify(m));
      socket.close(1011, 'shutting down');
    };
    const got: EventMessage[] = [];
    await assert.rejects(
      (async () => {
        for await (const m of new PujiangClient(url).events({ fromHeight: 1 })) got.push(m);
      })(),
      (e: unknown) => isPujiangError(e, 'SDK_SUBSCRIPTION_CLOSED') && e.details.code === 1011,
    );
    assert.deepEqual(got, REPLAY);
  });

  it('ends quietly when the client closes', async () => {
    script = (socket) => socket.send(JSON.stringify(REPLAY[0]));
    const stream = eventStream({ url });
    const first = await stream.next();
    assert.deepEqual(first.value, REPLAY[0]);
    stream.close();
    assert.deepEqual(await stream.next(), { value: undefined, done: true });

    const sub = subscribe({ url }, () => {});
    sub.close();
    assert.equal(await sub.done, undefined);
    await assert.rejects(sub.ready, { code: 'SDK_SUBSCRIPTION_CLOSED' });

    // `ready` once the node has the subscription (its socket open), before any message.
    script = () => {};
    const live = subscribe({ url }, () => {});
    await live.ready;
    live.close();
  });

  it('reports malformed messages and refused connections', async () => {
    script = (socket) => socket.send('not json');
    const bad = await subscribe({ url }, () => {}).done;
    assert.ok(isPujiangError(bad, 'SDK_BAD_RESPONSE'));

    script = (socket) => socket.send(JSON.stringify({ type: 'block', height: 'one' }));
    assert.ok(isPujiangError(await subscribe({ url }, () => {}).done, 'SDK_BAD_RESPONSE'));

    const port = await closedPort();
    const never = subscribe({ url: `ws://127.0.0.1:${port}` }, () => {});
    const refused = await never.done;
    assert.ok(isPujiangError(refused, 'SDK_NETWORK_ERROR'), String(refused));
    await assert.rejects(never.ready, { code: 'SDK_NETWORK_ERROR' });
  });
});
