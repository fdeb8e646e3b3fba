import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { balanceStateKey } from '@pujiang/module-bank';
import { encodeU64 } from '@pujiang/protocol';
import { bytesToHex, isPujiangError } from '@pujiang/types';
import { generateKeyPair, LightClient, PujiangClient, VerificationError } from '../src/index.js';
import {
  type CannedReply,
  type CannedRequest,
  type ChainFixture,
  cannedServer,
  certify,
  headerResponse,
  makeChain,
} from './fixtures.js';

/** A node that answers from the fixture chain; `lie` lets a test change one answer. */
function node(c: ChainFixture, lie: (r: CannedRequest, honest: CannedReply) => CannedReply = (_r, h) => h) {
  return (r: CannedRequest): CannedReply => {
    const url = new URL(r.url, 'http://x');
    let honest: CannedReply = {
      status: 404,
      body: { error: { code: 'API_NOT_FOUND', message: r.url, details: {} } },
    };
    if (url.pathname === '/v1/headers/5') honest = { body: headerResponse(c.header5, c.cert5) };
    if (url.pathname === '/v1/headers/6') honest = { body: headerResponse(c.header6, c.cert6) };
    for (const i of [0, 1, 2])
      if (url.pathname === `/v1/txs/${c.txs[i]!.hash}`) honest = { body: c.txResponse(i) };
    if (url.pathname === '/v1/query/bank/balance' && url.searchParams.get('prove') === 'true')
      honest = { body: c.balanceQuery(url.searchParams.get('address')!) };
    if (url.pathname.startsWith('/v1/state/')) {
      const key = url.pathname.slice('/v1/state/'.length);
      honest = { body: c.stateResponse(Uint8Array.from(Buffer.from(key, 'hex'))) };
    }
    return lie(r, honest);
  };
}

describe('LightClient', () => {
  let c: ChainFixture;
  let lie: (r: CannedRequest, honest: CannedReply) => CannedReply;
  let server: Awaited<ReturnType<typeof cannedServer>>;
  let light: () => LightClient;

  before(async () => {
    c = makeChain();
    server = await cannedServer((r) => node(c, lie)(r));
    light = () => new LightClient({ client: new PujiangClient(server.url), genesis: c.genesis });
  });
  after(() => server.close());

  it('returns verified headers, balances, transactions and state from an honest node', async () => {
    lie = (_r, h) => h;
    const lc = light();
    const h5 = await lc.getVerifiedHeader(5);
    assert.equal(h5.height, 5);
    const before = server.requests.length;
    assert.equal(await lc.getVerifiedHeader(5), h5, 'cached');
    assert.equal(server.requests.length, before);

    const balance = await lc.getVerifiedBalance(c.aliceAddress);
    assert.deepEqual(balance, { address: c.aliceAddress, balance: 1000n, height: 5 });

    const tx = await lc.getVerifiedTransaction(c.txs[2]!.hash);
    assert.equal(tx.height, 5);
    assert.equal(tx.index, 2);
    assert.deepEqual(tx.receipt, c.receipts[2]);

    const key = balanceStateKey(c.bobAddress);
    const state = await lc.getVerifiedState(bytesToHex(key), 5);
    assert.deepEqual(state.value, encodeU64(5n));
  });

  it('refuses a node that lies about a balance', async () => {
    lie = (r, h) =>
      r.url.startsWith('/v1/query/')
        ? { body: { ...(h.body as object), result: { address: c.aliceAddress, balance: '5000000' } } }
        : h;
    await assert.rejects(light().getVerifiedBalance(c.aliceAddress), (e: unknown) => {
      return e instanceof VerificationError && e.check === 'result-mismatch';
    });
  });

  it('refuses a header signed by validators other than the pinned ones', async () => {
    const others = c.validators.map(() => generateKeyPair('ed25519'));
    lie = (r, h) =>
      r.url === '/v1/headers/5' ? { body: headerResponse(c.header5, certify(c.header5, others)) } : h;
    await assert.rejects(light().getVerifiedTransaction(c.txs[0]!.hash), (e: unknown) => {
      return e instanceof VerificationError && e.check === 'certificate';
    });
  });

  it('refuses a receipt the next header does not commit to', async () => {
    lie = (r, h) => {
      if (!r.url.startsWith('/v1/txs/')) return h;
      const body = h.body as ReturnType<ChainFixture['txResponse']>;
      return { body: { ...body, receipt: { ...body.receipt!, gasUsed: 1 } } };
    };
    await assert.rejects(light().getVerifiedTransaction(c.txs[1]!.hash), (e: unknown) => {
      return e instanceof VerificationError && e.check === 'receipt-inclusion';
    });
  });

  it('passes on the node errors and says when a transaction is pending', async () => {
    lie = (_r, h) => h;
    await assert.rejects(light().getVerifiedTransaction('00'.repeat(32)), (e: unknown) =>
      isPujiangError(e, 'API_NOT_FOUND'),
    );
    lie = (r, h) => {
      if (!r.url.startsWith('/v1/txs/')) return h;
      const {
        height: _h,
        index: _i,
        receipt: _r,
        proof: _p,
        ...rest
      } = h.body as ReturnType<ChainFixture['txResponse']>;
      return { body: { ...rest, status: 'pending' } };
    };
    await assert.rejects(light().getVerifiedTransaction(c.txs[0]!.hash), (e: unknown) =>
      isPujiangError(e, 'SDK_TX_PENDING'),
    );
  });
});
