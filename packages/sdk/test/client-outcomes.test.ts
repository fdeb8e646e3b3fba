import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  addressOf,
  buildTransfer,
  generateKeyPair,
  isPujiangError,
  PujiangClient,
  PujiangError,
  TransactionFailedError,
} from '../src/index.js';
import {
  type CannedReply,
  type CannedRequest,
  cannedServer,
  rejection,
  statusResponse,
  TX_JSON,
} from './fixtures.js';

const HASH = '34'.repeat(32);
const FAILED = {
  txHash: HASH,
  code: 'BANK_INSUFFICIENT_FUNDS',
  message: 'balance 0 < 5',
  gasUsed: 100,
  events: [],
};
const OK = { ...FAILED, code: 'OK', message: undefined };
const status = (height: number) => statusResponse({ height });

describe('PujiangClient: outcomes that cannot be missed, and state provable after a transaction', () => {
  let routes: (r: CannedRequest) => CannedReply;
  let server: Awaited<ReturnType<typeof cannedServer>>;
  let client: PujiangClient;
  before(async () => {
    server = await cannedServer((r) => routes(r));
    client = new PujiangClient({ url: server.url, timeoutMs: 2000 });
  });
  after(() => server.close());

  const key = generateKeyPair('ed25519');
  const built = buildTransfer({
    chainId: 'c',
    chainHash: 'sha256',
    key,
    nonce: 0,
    expiresAtHeight: 50,
    to: addressOf('sha256', key),
    amount: 5,
  });

  it('a transaction that failed in its block throws TransactionFailedError with the receipt, unless asked not to', async () => {
    routes = () => ({ body: { hash: HASH, status: 'committed', height: 7, index: 0, receipt: FAILED } });
    const error = await rejection(client.submitTx(built, { wait: true }));
    assert.ok(error instanceof TransactionFailedError);
    assert.ok(error instanceof PujiangError);
    assert.ok(isPujiangError(error, 'SDK_TRANSACTION_FAILED'));
    assert.equal(error.receipt.code, 'BANK_INSUFFICIENT_FUNDS');
    assert.equal(error.hash, HASH);
    assert.equal(error.height, 7);
    assert.deepEqual(error.details, {
      hash: HASH,
      height: 7,
      receiptCode: 'BANK_INSUFFICIENT_FUNDS',
      receiptMessage: 'balance 0 < 5',
    });
    assert.match(error.message, /BANK_INSUFFICIENT_FUNDS/);
    const kept = await client.submitTx(built, { wait: true, throwOnFailure: false });
    assert.equal(kept.receipt?.code, 'BANK_INSUFFICIENT_FUNDS');
    // Committed with OK, and still pending, are answers, not errors.
    routes = () => ({ body: { hash: HASH, status: 'committed', height: 7, index: 0, receipt: OK } });
    assert.equal((await client.submitTx(built, { wait: true })).receipt?.code, 'OK');
    routes = () => ({ status: 202, body: { hash: HASH, status: 'pending' } });
    assert.equal((await client.submitTx(built, { wait: true })).status, 'pending');
  });

  it('waitForTx throws on a failed receipt too, and sendTransfer passes the choice through', async () => {
    routes = () => ({
      body: { hash: HASH, status: 'committed', tx: TX_JSON, raw: '', height: 7, index: 0, receipt: FAILED },
    });
    const error = await rejection(client.waitForTx(HASH, 1000, { pollIntervalMs: 10 }));
    assert.ok(error instanceof TransactionFailedError);
    const tx = await client.waitForTx(HASH, 1000, { pollIntervalMs: 10, throwOnFailure: false });
    assert.equal(tx.receipt?.code, 'BANK_INSUFFICIENT_FUNDS');

    const from = addressOf('sha256', key);
    routes = (r) => {
      if (r.url === '/v1/status') return { body: status(5) };
      if (r.url === `/v1/accounts/${from}`)
        return { body: { address: from, nonce: '0', pendingNonce: '0', height: 5 } };
      return { body: { hash: HASH, status: 'committed', height: 7, index: 0, receipt: FAILED } };
    };
    const sendError = await rejection(client.sendTransfer({ key, to: from, amount: 5n, wait: true }));
    assert.ok(sendError instanceof TransactionFailedError);
    const sent = await client.sendTransfer({ key, to: from, amount: 5n, wait: true, throwOnFailure: false });
    assert.equal(sent.result.receipt?.code, 'BANK_INSUFFICIENT_FUNDS');
  });

  it('waitForProvableState waits for the header after the transaction block', async () => {
    let height = 7;
    const statusPolls: number[] = [];
    routes = (r) => {
      if (r.url === '/v1/status') {
        statusPolls.push(height);
        return { body: status(height++) };
      }
      return {
        body: { hash: HASH, status: 'committed', tx: TX_JSON, raw: '', height: 9, index: 0, receipt: OK },
      };
    };
    const { tx, height: provable } = await client.waitForProvableState(HASH, 2000, { pollIntervalMs: 5 });
    assert.equal(tx.height, 9);
    assert.equal(provable, 10);
    assert.deepEqual(statusPolls, [7, 8, 9, 10]);

    height = 0;
    routes = (r) =>
      r.url === '/v1/status'
        ? { body: status(3) }
        : {
            body: { hash: HASH, status: 'committed', tx: TX_JSON, raw: '', height: 9, index: 0, receipt: OK },
          };
    const timedOut = await rejection(client.waitForProvableState(HASH, 100, { pollIntervalMs: 10 }));
    assert.ok(isPujiangError(timedOut, 'SDK_TIMEOUT'));
  });

  it('a proven query with provenAfter reads only once the state after the transaction is provable', async () => {
    let height = 9;
    let lastStatus = -1;
    const order: string[] = [];
    routes = (r) => {
      order.push(r.url.split('?')[0]!);
      if (r.url === '/v1/status') {
        lastStatus = height;
        return { body: status(height++) };
      }
      if (r.url.startsWith('/v1/txs/'))
        return {
          // A failed transaction changed state too (its nonce): provenAfter does not throw for it.
          body: {
            hash: HASH,
            status: 'committed',
            tx: TX_JSON,
            raw: '',
            height: 9,
            index: 0,
            receipt: FAILED,
          },
        };
      return { body: { height: 10, stateRoot: 'ee'.repeat(32), result: { balance: '0' }, reads: [] } };
    };
    const answer = await client.queryProven(
      'bank',
      'balance',
      { address: '00'.repeat(21) },
      { provenAfter: HASH },
    );
    assert.equal(answer.height, 10);
    // The transaction was looked up, then the node's height polled until header 10 existed, then the query ran.
    // (A late poll of the test before may arrive first: only the order from the lookup on counts.)
    const from = order.indexOf(`/v1/txs/${HASH}`);
    assert.ok(from >= 0);
    assert.equal(order.at(-1), '/v1/query/bank/balance');
    assert.ok(order.slice(from, -1).every((u) => u === `/v1/txs/${HASH}` || u === '/v1/status'));
    assert.equal(lastStatus, 10);
    // An explicit height before the first provable one is the caller's mistake.
    height = 20;
    const bad = await rejection(
      client.queryProven('bank', 'balance', { address: '00'.repeat(21) }, { provenAfter: HASH, height: 9 }),
    );
    assert.ok(isPujiangError(bad, 'SDK_INVALID_ARGUMENT'));
    assert.equal((bad as PujiangError).details.parameter, 'height');
  });
});
