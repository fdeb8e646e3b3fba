import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { generateKeyPair, merkleProof } from '@pujiang/crypto';
import { balanceStateKey } from '@pujiang/module-bank';
import { encodeU64, merkleProofToJson, moduleKey } from '@pujiang/protocol';
import { bytesToHex, isPujiangError } from '@pujiang/types';
import {
  type CertifiedHeader,
  VerificationError,
  verifyBalanceQuery,
  verifyHeader,
  verifyProvenQuery,
  verifyStateRead,
  verifyTransaction,
} from '../src/index.js';
import {
  CHAIN_HASH,
  CHAIN_ID,
  type ChainFixture,
  certify,
  clone,
  headerResponse,
  makeChain,
} from './fixtures.js';

/** Runs `f` and asserts it fails verification at `check`. */
function failsAt(check: string, f: () => unknown): VerificationError {
  try {
    f();
  } catch (error) {
    assert.ok(error instanceof VerificationError, `expected a VerificationError, got ${String(error)}`);
    assert.equal(error.code, 'SDK_VERIFICATION_FAILED');
    assert.equal(error.check, check, error.message);
    assert.equal(error.details.check, check);
    return error;
  }
  assert.fail(`expected ${check} to fail`);
}

describe('verification', () => {
  let c: ChainFixture;
  let h5: CertifiedHeader;
  let h6: CertifiedHeader;

  before(() => {
    c = makeChain();
    h5 = verifyHeader({ genesis: c.genesis, header: c.header5, certificate: c.cert5 });
    h6 = verifyHeader({ genesis: c.genesis, header: c.header6, certificate: c.cert6 });
  });

  describe('verifyHeader', () => {
    it('accepts a certified header, decoded or as JSON', () => {
      assert.equal(h5.height, 5);
      assert.equal(h5.chainId, CHAIN_ID);
      const r = headerResponse(c.header5, c.cert5);
      const fromJson = verifyHeader({ genesis: c.genesis, ...r, height: 5 });
      assert.equal(fromJson.hash, r.hash);
      assert.equal(fromJson.hash, h5.hash);
      assert.deepEqual(fromJson.header, c.header5);
      // Trust given as a validator list instead of a genesis.
      const byList = verifyHeader({
        chainId: CHAIN_ID,
        chainHash: CHAIN_HASH,
        validators: c.genesis.validators,
        header: r.header,
        certificate: r.certificate,
      });
      assert.equal(byList.hash, h5.hash);
    });

    it('refuses a tampered header', () => {
      const r = headerResponse(c.header5, c.cert5);
      const tampered = { ...r.header, time: String(c.header5.time + 1n) };
      failsAt('header-hash', () =>
        verifyHeader({ genesis: c.genesis, header: tampered, certificate: r.certificate }),
      );
      failsAt('header-hash', () =>
        verifyHeader({
          genesis: c.genesis,
          header: { ...c.header5, stateRoot: c.header6.stateRoot },
          certificate: c.cert5,
        }),
      );
      // The server's claimed hash must be the header's.
      failsAt('header-hash', () =>
        verifyHeader({ genesis: c.genesis, header: r.header, certificate: r.certificate, hash: h6.hash }),
      );
    });

    it('refuses a certificate from another validator set', () => {
      const others = [0, 1, 2, 3].map(() => generateKeyPair('ed25519'));
      const e = failsAt('certificate', () =>
        verifyHeader({ genesis: c.genesis, header: c.header5, certificate: certify(c.header5, others) }),
      );
      assert.equal(e.details.problem, 'bad-signature');
    });

    it('refuses a certificate with one signature changed', () => {
      const json = clone(headerResponse(c.header5, c.cert5));
      const p = json.certificate.precommits[2]!;
      p.signature = (p.signature[0] === '0' ? '1' : '0') + p.signature.slice(1);
      const e = failsAt('certificate', () => verifyHeader({ genesis: c.genesis, ...json }));
      assert.equal(e.details.problem, 'bad-signature');
    });

    it('refuses too little power, repeated signers and other heights', () => {
      const twoOfFour = certify(c.header5, c.validators, [0, 1]);
      assert.equal(
        failsAt('certificate', () =>
          verifyHeader({ genesis: c.genesis, header: c.header5, certificate: twoOfFour }),
        ).details.problem,
        'insufficient-power',
      );
      const threeOfFour = certify(c.header5, c.validators, [0, 1, 3]);
      verifyHeader({ genesis: c.genesis, header: c.header5, certificate: threeOfFour });
      const repeated = {
        ...threeOfFour,
        precommits: [...threeOfFour.precommits, threeOfFour.precommits[0]!],
      };
      assert.equal(
        failsAt('certificate', () =>
          verifyHeader({ genesis: c.genesis, header: c.header5, certificate: repeated }),
        ).details.problem,
        'duplicate-validator',
      );
      failsAt('header-height', () =>
        verifyHeader({ genesis: c.genesis, header: c.header5, certificate: c.cert5, height: 6 }),
      );
      // Heavier validators change the threshold: 0 and 1 now hold more than 2/3.
      const weighted = {
        ...c.genesis,
        validators: c.genesis.validators.map((v, i) => ({ ...v, power: i < 2 ? 100 : 1 })),
      };
      verifyHeader({ genesis: weighted, header: c.header5, certificate: twoOfFour });
    });

    it('refuses a header of another chain', () => {
      failsAt('chain-id', () =>
        verifyHeader({
          genesis: { ...c.genesis, chainId: 'other-chain' },
          header: c.header5,
          certificate: c.cert5,
        }),
      );
    });

    it('reports a malformed certificate as a certificate failure', () => {
      const json = clone(headerResponse(c.header5, c.cert5));
      (json.certificate as { value: unknown }).value = 'zz';
      failsAt('certificate', () => verifyHeader({ genesis: c.genesis, ...json }));
    });
  });

  describe('verifyTransaction', () => {
    it('proves a transaction in its block and its receipt in the next header', () => {
      for (const i of [0, 1, 2]) {
        const v = verifyTransaction(c.txResponse(i), h5, h6);
        assert.equal(v.hash, c.txs[i]!.hash);
        assert.equal(v.index, i);
        assert.deepEqual(v.tx, c.txs[i]!.tx);
        assert.deepEqual(v.receipt, c.receipts[i]);
      }
      assert.equal(verifyTransaction(c.txResponse(1), h5).receipt, null);
    });

    it('refuses a proof moved to another leaf', () => {
      const r = c.txResponse(0);
      const moved = { ...r, proof: { ...r.proof!, tx: c.txResponse(1).proof!.tx } };
      failsAt('tx-inclusion', () => verifyTransaction(moved, h5));
      // Same path, relabelled with the claimed index: the path no longer leads to the root.
      const relabelled = { ...r, proof: { ...r.proof!, tx: { ...c.txResponse(1).proof!.tx, leafIndex: 0 } } };
      failsAt('tx-inclusion', () => verifyTransaction(relabelled, h5));
      // A proof in a tree of another size than the header's count.
      const wires = [...c.txs.map((t) => t.wire), Uint8Array.of(9)];
      const bigger = {
        ...r,
        proof: { ...r.proof!, tx: merkleProofToJson(merkleProof(CHAIN_HASH, wires, 0)) },
      };
      failsAt('tx-inclusion', () => verifyTransaction(bigger, h5));
    });

    it('refuses bytes that are not the transaction asked for, or not in the block', () => {
      const r = c.txResponse(0);
      failsAt('tx-hash', () => verifyTransaction({ ...r, raw: c.txs[1]!.hex }, h5));
      failsAt('tx-hash', () => verifyTransaction({ ...r, raw: 'zz' }, h5));
      const stranger = c.txs[1]!; // claims index 0 with the right hash for its bytes
      failsAt('tx-inclusion', () => verifyTransaction({ ...r, raw: stranger.hex, hash: stranger.hash }, h5));
    });

    it('refuses a changed receipt, a receipt of another transaction, and the wrong headers', () => {
      const r = c.txResponse(0);
      failsAt('receipt-inclusion', () =>
        verifyTransaction({ ...r, receipt: { ...r.receipt!, code: 'BANK_INSUFFICIENT_FUNDS' } }, h5, h6),
      );
      failsAt('receipt-inclusion', () => verifyTransaction({ ...r, receipt: c.receipts[1]! }, h5, h6));
      failsAt('receipt-inclusion', () =>
        verifyTransaction({ ...r, proof: { ...r.proof!, receipt: null } }, h5, h6),
      );
      failsAt('header-height', () => verifyTransaction(r, h6));
      failsAt('header-height', () => verifyTransaction(r, h5, h5));
    });

    it('says a pending transaction is pending', () => {
      const r = c.txResponse(0);
      const { height: _h, index: _i, receipt: _r, proof: _p, ...pending } = r;
      assert.throws(
        () => verifyTransaction({ ...pending, status: 'pending' }, h5),
        (e: unknown) => isPujiangError(e, 'SDK_TX_PENDING'),
      );
    });
  });

  describe('state', () => {
    it('proves a value and an absence', () => {
      const key = balanceStateKey(c.aliceAddress);
      const read = verifyStateRead(c.stateResponse(key), h5, key);
      assert.deepEqual(read.value, encodeU64(1000n));
      const missing = moduleKey('bank', 'balance/nobody');
      assert.equal(verifyStateRead(c.stateRead(missing), h5, missing).value, undefined);
    });

    it('refuses a changed value, a moved proof, a false absence and another root', () => {
      const key = balanceStateKey(c.aliceAddress);
      const read = c.stateResponse(key);
      failsAt('state-proof', () => verifyStateRead({ ...read, value: bytesToHex(encodeU64(1001n)) }, h5));
      // Bob's proof presented as Alice's.
      const bobRead = c.stateRead(balanceStateKey(c.bobAddress));
      failsAt('state-proof', () => verifyStateRead({ ...read, proof: bobRead.proof }, h5));
      failsAt('state-proof', () => verifyStateRead({ ...read, value: null }, h5));
      failsAt('state-key', () => verifyStateRead(bobRead, h5, key));
      failsAt('state-root', () =>
        verifyStateRead({ ...read, stateRoot: bytesToHex(c.header6.stateRoot) }, h5),
      );
      failsAt('header-height', () => verifyStateRead(read, h6));
      // The same read against the next state (where Alice has 967) does not verify.
      failsAt('state-proof', () => verifyStateRead(c.stateRead(key), h6));
    });

    it('proves a balance query and refuses answers that disagree with their reads', () => {
      const q = c.balanceQuery(c.aliceAddress);
      const v = verifyBalanceQuery(q, h5, c.aliceAddress);
      assert.equal(v.balance, 1000n);
      assert.equal(v.height, 5);
      // An account that was never credited: proven absent, balance 0.
      const nobody = bytesToHex(new Uint8Array(21).fill(0xee));
      assert.equal(verifyBalanceQuery(c.balanceQuery(nobody), h5, nobody).balance, 0n);

      failsAt('result-mismatch', () =>
        verifyBalanceQuery(
          { ...q, result: { address: c.aliceAddress, balance: '999999' } },
          h5,
          c.aliceAddress,
        ),
      );
      failsAt('result-mismatch', () =>
        verifyBalanceQuery({ ...q, result: { address: c.bobAddress, balance: '1000' } }, h5, c.aliceAddress),
      );
      failsAt('missing-read', () =>
        verifyBalanceQuery({ ...q, reads: [c.stateRead(moduleKey('filler', 'k1'))] }, h5, c.aliceAddress),
      );
      // A proven read of another account, answered as if it were this one.
      const bobQuery = c.balanceQuery(c.bobAddress);
      failsAt('missing-read', () => verifyBalanceQuery(bobQuery, h5, c.aliceAddress));
      failsAt('state-proof', () =>
        verifyBalanceQuery(
          { ...q, reads: [{ ...q.reads[0]!, value: bytesToHex(encodeU64(999999n)) }] },
          h5,
          c.aliceAddress,
        ),
      );
      failsAt('state-root', () =>
        verifyProvenQuery({ ...q, stateRoot: bytesToHex(c.header6.stateRoot) }, h5),
      );
      failsAt('header-height', () => verifyProvenQuery(q, h6));
    });
  });
});
