import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { generateKeyPair, type KeyPair, VerifyPool } from '@pujiang/crypto';
import { decodeTx, encodeTx, signTx, type TxBody, txSignBytes, verifyTxSignature } from '@pujiang/protocol';
import { bytesToHex, utf8ToBytes } from '@pujiang/types';
import { Mempool, type MempoolOptions, senderId } from '../src/index.js';

const CHAIN = 'pujiang-test';
const body = (kp: KeyPair, nonce: bigint, over: Partial<TxBody> = {}): TxBody => ({
  chainId: CHAIN,
  suite: kp.suite,
  publicKey: kp.publicKey.bytes,
  nonce,
  expiresAtHeight: 100n,
  gasLimit: 100_000n,
  module: 'bank',
  type: 'transfer',
  payload: utf8ToBytes(`pay #${nonce}`),
  ...over,
});
const wire = (kp: KeyPair, nonce: bigint, over: Partial<TxBody> = {}) =>
  encodeTx(signTx(body(kp, nonce, over), kp.secretKey));

describe('transactions', () => {
  it('round-trip canonically and verify; one changed byte breaks the signature', () => {
    for (const suite of ['sm2', 'ed25519', 'ml-dsa-44'] as const) {
      const kp = generateKeyPair(suite);
      const tx = signTx(body(kp, 7n), kp.secretKey);
      const bytes = encodeTx(tx);
      assert.deepEqual(encodeTx(decodeTx(bytes)), bytes);
      assert.equal(verifyTxSignature(decodeTx(bytes)), true);
      const other = { ...tx, body: { ...tx.body, nonce: 8n } };
      assert.equal(verifyTxSignature(other), false);
    }
  });

  it('the chain id is signed: the same transaction for another chain does not verify', () => {
    const kp = generateKeyPair('ed25519');
    const tx = signTx(body(kp, 1n), kp.secretKey);
    assert.equal(verifyTxSignature({ ...tx, body: { ...tx.body, chainId: 'other-chain' } }), false);
    assert.notDeepEqual(txSignBytes(tx.body), txSignBytes({ ...tx.body, chainId: 'other-chain' }));
  });

  it('garbage and oversized input are typed errors', () => {
    assert.throws(() => decodeTx(new Uint8Array([1, 2, 3])), { code: 'TX_UNDECODABLE' });
    assert.throws(() => decodeTx(new Uint8Array(200 * 1024)), { code: 'TX_TOO_LARGE' });
  });
});

describe('mempool', () => {
  const pool = new VerifyPool({ workers: 2 });
  after(() => pool.close());
  const nonces = new Map<string, bigint>();
  let height = 10n;
  const options = (over: Partial<MempoolOptions> = {}): MempoolOptions => ({
    chainId: CHAIN,
    hash: 'sm3',
    acceptedSuites: ['sm2', 'ed25519'],
    maxTxs: 20,
    maxPerSender: 5,
    nonceWindow: 8,
    verify: (tx) =>
      pool.verify({
        suite: tx.body.suite,
        publicKey: tx.body.publicKey,
        message: txSignBytes(tx.body),
        signature: tx.signature,
      }),
    accountNonce: (sender) => nonces.get(sender) ?? 0n,
    nextHeight: () => height,
    ...over,
  });

  it('admits valid transactions and refuses each kind of bad one with its code', async () => {
    const mp = new Mempool(options());
    const alice = generateKeyPair('sm2');
    const first = wire(alice, 0n);
    await mp.add(first);
    const forged = signTx(body(alice, 1n), alice.secretKey);
    forged.signature[5]! ^= 1;
    const cases: [() => Promise<unknown>, string][] = [
      [() => mp.add(first), 'TX_DUPLICATE'],
      [() => mp.add(wire(alice, 0n, { payload: utf8ToBytes('other') })), 'TX_NONCE_TAKEN'],
      [() => mp.add(wire(alice, 9n)), 'TX_NONCE_TOO_HIGH'],
      [() => mp.add(wire(alice, 1n, { chainId: 'elsewhere' })), 'TX_WRONG_CHAIN'],
      [() => mp.add(wire(alice, 1n, { expiresAtHeight: 9n })), 'TX_EXPIRED'],
      [() => mp.add(encodeTx(forged)), 'TX_BAD_SIGNATURE'],
      [() => mp.add(wire(generateKeyPair('secp256k1'), 0n)), 'TX_SUITE_NOT_ACCEPTED'],
      [() => mp.add(new Uint8Array([9, 9])), 'TX_UNDECODABLE'],
    ];
    for (const [attempt, code] of cases) await assert.rejects(attempt(), { code });
    nonces.set(senderId(decodeTx(wire(alice, 0n))), 1n);
    await assert.rejects(mp.add(wire(alice, 0n, { payload: utf8ToBytes('again') })), {
      code: 'TX_NONCE_TOO_LOW',
    });
    nonces.clear();
    assert.equal(mp.size, 1);
  });

  it('is bounded: per sender and in total, with typed errors', async () => {
    const mp = new Mempool(options());
    const bob = generateKeyPair('ed25519');
    for (let n = 0n; n < 5n; n++) await mp.add(wire(bob, n));
    await assert.rejects(mp.add(wire(bob, 5n)), { code: 'MEMPOOL_SENDER_FULL' });
    const others = Array.from({ length: 4 }, () => generateKeyPair('ed25519'));
    for (const kp of others) for (let n = 0n; n < 4n; n++) await mp.add(wire(kp, n)).catch(() => {});
    assert.equal(mp.size, 20);
    await assert.rejects(mp.add(wire(generateKeyPair('ed25519'), 0n)), { code: 'MEMPOOL_FULL' });
  });

  it('reaps each sender in nonce order without gaps, and drops committed, stale and expired transactions', async () => {
    const mp = new Mempool(options());
    const carol = generateKeyPair('ed25519');
    const dave = generateKeyPair('ed25519');
    await mp.add(wire(carol, 1n));
    await mp.add(wire(carol, 0n));
    await mp.add(wire(carol, 3n)); // gap at 2: not reapable yet
    await mp.add(wire(dave, 0n, { expiresAtHeight: 11n }));
    const block = mp.reap({ maxTxs: 10, maxBytes: 1 << 20 });
    assert.deepEqual(
      block.map(
        (t) =>
          `${bytesToHex(t.tx.body.publicKey) === bytesToHex(carol.publicKey.bytes) ? 'c' : 'd'}${t.tx.body.nonce}`,
      ),
      ['c0', 'c1', 'd0'],
    );
    // Commit carol 0 and 1; move on two heights so dave's expires.
    nonces.set(senderId(block[0]!.tx), 2n);
    height = 12n;
    mp.update(block.slice(0, 2).map((e) => e.hash));
    assert.equal(mp.size, 1); // only carol 3 is left
    assert.deepEqual(mp.reap({ maxTxs: 10, maxBytes: 1 << 20 }), []); // still waiting for carol 2
    nonces.clear();
    height = 10n;
  });

  it('transactions stuck behind nonce gaps never keep an includable one out (no stall when full)', async () => {
    const mp = new Mempool(options({ maxTxs: 6, maxPerSender: 6 }));
    const spammer = generateKeyPair('ed25519');
    const honest = generateKeyPair('ed25519');
    for (let n = 1n; n <= 6n; n++) await mp.add(wire(spammer, n)); // nonce 0 never comes
    assert.equal(mp.size, 6);
    assert.equal(mp.futureSize, 6);
    assert.deepEqual(mp.reap({ maxTxs: 10, maxBytes: 1 << 20 }), []);
    // Another gapped transaction is refused; an includable one evicts the oldest gapped one.
    await assert.rejects(mp.add(wire(honest, 3n)), { code: 'MEMPOOL_FULL' });
    const hash = await mp.add(wire(honest, 0n));
    assert.equal(mp.size, 6);
    assert.deepEqual(
      mp.reap({ maxTxs: 10, maxBytes: 1 << 20 }).map((e) => e.hash),
      [hash],
    );
    assert.equal(mp.pendingNonce(senderId(decodeTx(wire(honest, 0n)))), 1n);
    // The spammer's own nonce 0 is includable too: it evicts the oldest gapped one (its nonce 1).
    const spam = senderId(decodeTx(wire(spammer, 0n)));
    const gapFiller = await mp.add(wire(spammer, 0n));
    assert.equal(mp.pendingNonce(spam), 1n);
    assert.deepEqual(
      mp
        .reap({ maxTxs: 10, maxBytes: 1 << 20 })
        .map((e) => e.hash)
        .sort(),
      [hash, gapFiller].sort(),
    );
    // Filling the gap makes the run behind it includable.
    await mp.add(wire(spammer, 1n)).catch(() => undefined); // full again: refused unless room
    const roomy = new Mempool(options({ maxTxs: 20, maxPerSender: 6 }));
    for (const n of [2n, 3n, 1n]) await roomy.add(wire(spammer, n));
    assert.equal(roomy.futureSize, 3);
    await roomy.add(wire(spammer, 0n));
    assert.equal(roomy.futureSize, 0);
    assert.equal(roomy.pendingNonce(spam), 4n);
    assert.equal(roomy.reap({ maxTxs: 10, maxBytes: 1 << 20 }).length, 4);
  });

  it('a pool full of includable transactions still refuses with MEMPOOL_FULL', async () => {
    const mp = new Mempool(options({ maxTxs: 3, maxPerSender: 3 }));
    const a = generateKeyPair('ed25519');
    for (let n = 0n; n < 3n; n++) await mp.add(wire(a, n));
    await assert.rejects(mp.add(wire(generateKeyPair('ed25519'), 0n)), { code: 'MEMPOOL_FULL' });
  });

  it('reaps within a block bytes (counting length prefixes) and gas, and refuses a gas limit no block could hold', async () => {
    const mp = new Mempool(options({ maxTxs: 20, maxPerSender: 10, maxTxGas: 250_000 }));
    const a = generateKeyPair('ed25519');
    const b = generateKeyPair('ed25519');
    for (let n = 0n; n < 5n; n++) await mp.add(wire(a, n));
    for (let n = 0n; n < 5n; n++) await mp.add(wire(b, n));
    const size = wire(a, 0n).length + 3;
    assert.equal(mp.reap({ maxTxs: 100, maxBytes: size * 4 }).length, 4);
    assert.equal(mp.reap({ maxTxs: 100, maxBytes: 1 << 20, maxGas: 250_000 }).length, 2); // 100,000 gas each
    await assert.rejects(mp.add(wire(a, 5n, { gasLimit: 250_001n })), { code: 'TX_GAS_LIMIT_TOO_HIGH' });
  });
});
