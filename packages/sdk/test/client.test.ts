import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decode } from '@pujiang/codec';
import { BankTransfer } from '@pujiang/module-bank';
import { decodeTx, genesisToJson } from '@pujiang/protocol';
import { bytesToHex, hexToBytes, isPujiangError } from '@pujiang/types';
import { ApiError, addressOf, buildTransfer, generateKeyPair, PujiangClient } from '../src/index.js';
import {
  type CannedReply,
  type CannedRequest,
  cannedServer,
  closedPort,
  makeGenesis,
  rejection,
  statusResponse,
  TX_JSON,
} from './fixtures.js';

const STATUS = statusResponse({ chainId: 'client-test', height: 41, peers: 3 });
const HASH = '12'.repeat(32);

describe('PujiangClient', () => {
  let routes: (r: CannedRequest) => CannedReply;
  let server: Awaited<ReturnType<typeof cannedServer>>;
  let client: PujiangClient;

  before(async () => {
    server = await cannedServer((r) => routes(r));
    client = new PujiangClient({ url: `${server.url}/`, timeoutMs: 2000 });
  });
  after(() => server.close());

  it('returns typed answers', async () => {
    routes = () => ({ body: STATUS });
    assert.deepEqual(await client.getStatus(), STATUS);
    assert.equal(server.requests.at(-1)!.url, '/v1/status');
  });

  it('maps an API error body to ApiError with the server code, status and details', async () => {
    routes = () => ({
      status: 400,
      body: {
        error: {
          code: 'API_BAD_REQUEST',
          message: 'height must be positive',
          details: { parameter: 'height' },
        },
      },
    });
    const e = await rejection(client.getBlock(3));
    assert.ok(e instanceof ApiError);
    assert.equal(e.status, 400);
    assert.equal(e.code, 'API_BAD_REQUEST');
    assert.equal(e.message, 'height must be positive');
    assert.deepEqual(e.details, { parameter: 'height' });
    assert.ok(isPujiangError(e));

    routes = () => ({
      status: 404,
      body: { error: { code: 'API_NOT_FOUND', message: 'tx not found', details: {} } },
    });
    const notFound = await rejection(client.getTx(HASH));
    assert.ok(notFound instanceof ApiError && notFound.status === 404 && notFound.code === 'API_NOT_FOUND');
  });

  it('maps a non-API error page to SDK_HTTP_ERROR', async () => {
    routes = () => ({ status: 502, body: '<html>bad gateway</html>' });
    const e = await rejection(client.getStatus());
    assert.ok(e instanceof ApiError);
    assert.equal(e.code, 'SDK_HTTP_ERROR');
    assert.equal(e.status, 502);
  });

  it('maps garbage and malformed answers to SDK_BAD_RESPONSE', async () => {
    routes = () => ({ body: '{"chainId": "x", oops' });
    assert.equal((await rejection(client.getStatus())).code, 'SDK_BAD_RESPONSE');

    routes = () => ({ body: { ...STATUS, height: '41' } });
    const e = await rejection(client.getStatus());
    assert.equal(e.code, 'SDK_BAD_RESPONSE');
    assert.equal(e.details?.field, 'height');

    routes = () => ({ body: { hash: HASH, header: { height: 1 }, certificate: {} } });
    assert.equal((await rejection(client.getHeader(1))).code, 'SDK_BAD_RESPONSE');

    routes = () => ({ body: { chainId: 'x' } });
    assert.equal((await rejection(client.getGenesis())).code, 'SDK_BAD_RESPONSE');
  });

  it('maps a refused connection to SDK_NETWORK_ERROR', async () => {
    const port = await closedPort();
    const offline = new PujiangClient(`http://127.0.0.1:${port}`);
    const e = await rejection(offline.getStatus());
    assert.equal(e.code, 'SDK_NETWORK_ERROR');
    assert.equal(e.details?.cause, 'ECONNREFUSED');
  });

  it('times out per request', async () => {
    routes = () => ({ hang: true });
    const started = Date.now();
    const e = await rejection(client.getStatus({ timeoutMs: 100 }));
    assert.equal(e.code, 'SDK_TIMEOUT');
    assert.ok(Date.now() - started < 1500);
  });

  it('refuses bad arguments without a request', async () => {
    const count = server.requests.length;
    assert.equal((await rejection(client.getTx('xyz'))).code, 'SDK_INVALID_ARGUMENT');
    assert.equal((await rejection(client.getBlock(0))).code, 'SDK_INVALID_ARGUMENT');
    assert.equal((await rejection(client.getAccount('00'))).code, 'SDK_INVALID_ARGUMENT');
    assert.equal(server.requests.length, count);
  });

  it('parses the genesis and builds query strings', async () => {
    const genesis = makeGenesis([generateKeyPair('ed25519')]);
    routes = () => ({ body: genesisToJson(genesis) });
    assert.deepEqual(await client.getGenesis(), genesis);

    routes = () => ({ body: { height: 4, result: { ok: true } } });
    await client.query('bank', 'balance', { address: 'aa' });
    assert.equal(server.requests.at(-1)!.url, '/v1/query/bank/balance?address=aa');
    routes = () => ({ body: { height: 4, stateRoot: HASH, result: null, reads: [] } });
    await client.queryProven('bank', 'balance', { address: 'aa' });
    assert.equal(server.requests.at(-1)!.url, '/v1/query/bank/balance?address=aa&prove=true');
  });

  it('submits transactions, waiting or not', async () => {
    const key = generateKeyPair('ed25519');
    const built = buildTransfer({
      chainId: 'client-test',
      chainHash: 'sha256',
      key,
      nonce: 0,
      expiresAtHeight: 50,
      to: addressOf('sha256', key),
      amount: 1,
    });
    routes = () => ({ status: 202, body: { hash: built.hash, status: 'pending' } });
    assert.deepEqual(await client.submitTx(built), { hash: built.hash, status: 'pending' });
    let sent = server.requests.at(-1)!;
    assert.equal(sent.method, 'POST');
    assert.equal(sent.url, '/v1/txs');
    assert.deepEqual(JSON.parse(sent.body), { tx: built.hex });

    routes = () => ({ body: { hash: built.hash, status: 'committed', height: 42, index: 0 } });
    await client.submitTx(built.tx, { wait: true, waitTimeoutMs: 1000 });
    sent = server.requests.at(-1)!;
    assert.deepEqual(JSON.parse(sent.body), { tx: built.hex, wait: true, timeoutMs: 1000 });

    routes = () => ({
      body: {
        results: [{ hash: built.hash }, { error: { code: 'TX_NONCE_TAKEN', message: 'taken', details: {} } }],
      },
    });
    const batch = await client.submitBatch([built.wire, built.hex]);
    assert.equal(batch.results.length, 2);
    assert.deepEqual(JSON.parse(server.requests.at(-1)!.body), { txs: [built.hex, built.hex] });
  });

  it('sendTransfer takes the chain and nonce from the node', async () => {
    const key = generateKeyPair('sm2');
    const to = addressOf('sha256', generateKeyPair('ed25519'));
    const from = addressOf('sha256', key);
    routes = (r) => {
      if (r.url === '/v1/status') return { body: STATUS };
      if (r.url === `/v1/accounts/${from}`)
        return { body: { address: from, nonce: '3', pendingNonce: '5', height: 41 } };
      if (r.url === '/v1/txs' && r.method === 'POST') {
        const tx = decodeTx(hexToBytes((JSON.parse(r.body) as { tx: string }).tx));
        return {
          status: 202,
          body: { hash: 'ff'.repeat(32), status: 'pending', nonce: String(tx.body.nonce) },
        };
      }
      return { status: 404, body: { error: { code: 'API_NOT_FOUND', message: r.url, details: {} } } };
    };
    const sent = await client.sendTransfer({ key, to, amount: 77n });
    assert.equal(sent.nonce, 5n);
    const tx = decodeTx(hexToBytes((JSON.parse(server.requests.at(-1)!.body) as { tx: string }).tx));
    assert.equal(tx.body.chainId, 'client-test');
    assert.equal(tx.body.nonce, 5n);
    assert.equal(tx.body.expiresAtHeight, 141n);
    assert.deepEqual(decode(BankTransfer, tx.body.payload), { to: hexToBytes(to), amount: 77n });
    assert.equal(sent.hash, sent.built.hash);
    assert.equal(bytesToHex(sent.built.wire), sent.built.hex);
  });

  it('waitForTx polls until the transaction is committed, or times out', async () => {
    let polls = 0;
    const committed = {
      hash: HASH,
      status: 'committed',
      tx: TX_JSON,
      raw: '',
      height: 9,
      index: 0,
    };
    routes = () => {
      polls++;
      if (polls === 1)
        return { status: 404, body: { error: { code: 'API_NOT_FOUND', message: 'no', details: {} } } };
      if (polls === 2)
        return { body: { ...committed, status: 'pending', height: undefined, index: undefined } };
      return { body: committed };
    };
    const tx = await client.waitForTx(HASH, 5000, { pollIntervalMs: 10 });
    assert.equal(tx.status, 'committed');
    assert.equal(polls, 3);

    routes = () => ({ status: 404, body: { error: { code: 'API_NOT_FOUND', message: 'no', details: {} } } });
    assert.equal((await rejection(client.waitForTx(HASH, 100, { pollIntervalMs: 20 }))).code, 'SDK_TIMEOUT');

    routes = () => ({
      status: 400,
      body: { error: { code: 'API_BAD_REQUEST', message: 'no', details: {} } },
    });
    assert.equal(
      (await rejection(client.waitForTx(HASH, 1000, { pollIntervalMs: 10 }))).code,
      'API_BAD_REQUEST',
    );
  });
});
