import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encode, fixedBytes, struct, u64 } from '@pujiang/codec';
import { generateKeyPair, type KeyPair, SUITE_IDS } from '@pujiang/crypto';
import { isPujiangError } from '@pujiang/types';
import fc from 'fast-check';
import {
  decodeTx,
  encodeTx,
  MAX_TX_BYTES,
  type SignedTx,
  signTx,
  txSignBytes,
  txSignBytesFromWire,
  verifyTxSignature,
} from '../src/index.js';

/** A module message for the tests (the shape of the bank's transfer; the module itself lives above protocol). */
const BankTransfer = struct('BankTransfer', { to: fixedBytes(21), amount: u64 });

const keys = new Map<string, KeyPair>();
const keyFor = (suite: (typeof SUITE_IDS)[number]) => {
  let k = keys.get(suite);
  if (!k) {
    k = generateKeyPair(suite);
    keys.set(suite, k);
  }
  return k;
};

function transfer(kp: KeyPair, nonce: bigint, amount = 5n): SignedTx {
  return signTx(
    {
      chainId: 'fuzz-chain',
      suite: kp.suite,
      publicKey: kp.publicKey.bytes,
      nonce,
      expiresAtHeight: 1000n,
      gasLimit: 100_000n,
      module: 'bank',
      type: 'transfer',
      payload: encode(BankTransfer, { to: new Uint8Array(21).fill(7), amount }),
    },
    kp.secretKey,
  );
}

const isDecodeRefusal = (e: unknown) =>
  isPujiangError(e, 'TX_UNDECODABLE') || isPujiangError(e, 'TX_TOO_LARGE');

describe('transaction decoder (fuzz)', () => {
  it('every suite: sign, encode, decode round-trips and verifies', () => {
    for (const suite of SUITE_IDS) {
      const tx = transfer(keyFor(suite), 3n);
      const wire = encodeTx(tx);
      assert.deepEqual(encodeTx(decodeTx(wire)), wire);
      assert.equal(verifyTxSignature(decodeTx(wire)), true, suite);
      assert.deepEqual(txSignBytesFromWire(decodeTx(wire), wire), txSignBytes(tx.body), suite);
    }
  });

  it('random bytes decode to a transaction or a typed refusal, never anything else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        try {
          const tx = decodeTx(bytes);
          assert.deepEqual(encodeTx(tx), bytes); // anything accepted is canonical
        } catch (e) {
          assert.ok(isDecodeRefusal(e), String(e));
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('mutated encodings (flipped, inserted, deleted, truncated bytes) are refused or canonical, and never verify if changed', () => {
    const base = encodeTx(transfer(keyFor('ed25519'), 1n));
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
      fc.record({
        kind: fc.constant('insert' as const),
        at: fc.nat(),
        byte: fc.integer({ min: 0, max: 255 }),
      }),
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (ms) => {
        let bytes = Uint8Array.from(base);
        for (const m of ms) {
          const at = bytes.length === 0 ? 0 : m.at % bytes.length;
          if (m.kind === 'flip' && bytes.length > 0) bytes[at]! ^= 1 << m.bit;
          else if (m.kind === 'insert')
            bytes = Uint8Array.from([...bytes.subarray(0, at), m.byte, ...bytes.subarray(at)]);
          else if (m.kind === 'delete')
            bytes = Uint8Array.from([...bytes.subarray(0, at), ...bytes.subarray(at + 1)]);
          else if (m.kind === 'truncate') bytes = bytes.subarray(0, at);
        }
        try {
          const tx = decodeTx(bytes);
          assert.deepEqual(encodeTx(tx), bytes);
          const changed = Buffer.compare(Buffer.from(bytes), Buffer.from(base)) !== 0;
          if (changed) assert.equal(verifyTxSignature(tx), false);
        } catch (e) {
          assert.ok(isDecodeRefusal(e), String(e));
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('oversized input is refused before decoding', () => {
    assert.throws(() => decodeTx(new Uint8Array(MAX_TX_BYTES + 1)), { code: 'TX_TOO_LARGE' });
  });

  it('the signature covers chain id, nonce and payload', () => {
    const tx = transfer(keyFor('sm2'), 9n);
    for (const body of [
      { ...tx.body, chainId: 'other' },
      { ...tx.body, nonce: 10n },
      { ...tx.body, payload: encode(BankTransfer, { to: new Uint8Array(21).fill(7), amount: 6n }) },
    ]) {
      assert.notDeepEqual(txSignBytes(body), txSignBytes(tx.body));
      assert.equal(verifyTxSignature({ ...tx, body }), false);
    }
  });
});
