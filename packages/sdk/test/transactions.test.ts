import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decode } from '@pujiang/codec';
import { BankTransfer } from '@pujiang/module-bank';
import { decodeTx, encodeTx, txHash, verifyTxSignature } from '@pujiang/protocol';
import { bytesToHex, hexToBytes, isPujiangError } from '@pujiang/types';
import {
  addressOf,
  buildTransaction,
  buildTransfer,
  DEFAULT_GAS_LIMIT,
  deriveAddress,
  generateKeyPair,
  keyPairFromHex,
  publicKeyFromHex,
  SUITE_IDS,
  secretKeyToHex,
} from '../src/index.js';

const base = { chainId: 'tx-test', chainHash: 'sm3' as const, nonce: 7n, expiresAtHeight: 1000 };

describe('transactions', () => {
  for (const suite of SUITE_IDS) {
    it(`builds a transfer that round-trips and verifies (${suite})`, () => {
      const key = generateKeyPair(suite);
      const to = addressOf('sm3', generateKeyPair('ed25519'));
      const built = buildTransfer({ ...base, key, to, amount: 12345n });

      const decoded = decodeTx(built.wire);
      assert.deepEqual(decoded, built.tx);
      assert.deepEqual(encodeTx(decoded), built.wire);
      assert.equal(built.hex, bytesToHex(built.wire));
      assert.equal(built.hash, txHash('sm3', decoded));
      assert.ok(verifyTxSignature(decoded));
      assert.equal(decoded.body.suite, suite);
      assert.equal(decoded.body.nonce, 7n);
      assert.equal(decoded.body.expiresAtHeight, 1000n);
      assert.equal(decoded.body.gasLimit, DEFAULT_GAS_LIMIT);
      assert.equal(decoded.body.module, 'bank');
      assert.equal(decoded.body.type, 'transfer');
      assert.deepEqual(decode(BankTransfer, decoded.body.payload), { to: hexToBytes(to), amount: 12345n });

      // Any change to the signed body breaks the signature.
      const forged = { ...decoded, body: { ...decoded.body, nonce: 8n } };
      assert.equal(verifyTxSignature(forged), false);
    });
  }

  it('builds any module message with the given gas limit', () => {
    const key = generateKeyPair('secp256k1');
    const payload = Uint8Array.of(1, 2, 3);
    const built = buildTransaction({
      ...base,
      key,
      gasLimit: '5000',
      module: 'notes',
      type: 'post',
      payload,
    });
    const tx = decodeTx(built.wire);
    assert.equal(tx.body.gasLimit, 5000n);
    assert.equal(tx.body.module, 'notes');
    assert.deepEqual(tx.body.payload, payload);
    assert.ok(verifyTxSignature(tx));
    assert.equal(built.hash, txHash('sm3', tx));
    assert.notEqual(built.hash, txHash('sha256', tx));
  });

  it('refuses malformed arguments before signing', () => {
    const key = generateKeyPair('ed25519');
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (error) {
        return isPujiangError(error) ? error.code : 'not a PujiangError';
      }
      return 'no error';
    };
    const to = addressOf('sm3', key);
    assert.equal(
      code(() => buildTransfer({ ...base, key, to: 'abcd', amount: 1 })),
      'SDK_INVALID_ARGUMENT',
    );
    assert.equal(
      code(() => buildTransfer({ ...base, key, to, amount: -1n })),
      'SDK_INVALID_ARGUMENT',
    );
    assert.equal(
      code(() => buildTransfer({ ...base, key, to, amount: 2n ** 64n })),
      'SDK_INVALID_ARGUMENT',
    );
    assert.equal(
      code(() => buildTransfer({ ...base, key, to, amount: 1.5 })),
      'SDK_INVALID_ARGUMENT',
    );
    assert.equal(
      code(() => buildTransfer({ ...base, key, to, amount: '1e3' })),
      'SDK_INVALID_ARGUMENT',
    );
    assert.equal(
      code(() =>
        buildTransaction({ ...base, key, module: 'x'.repeat(33), type: 't', payload: new Uint8Array() }),
      ),
      'SDK_INVALID_ARGUMENT',
    );
  });

  it('imports keys from hex and derives addresses per chain hash', () => {
    for (const suite of SUITE_IDS) {
      const key = generateKeyPair(suite);
      const again = keyPairFromHex(suite, secretKeyToHex(key));
      assert.deepEqual(again.publicKey, key.publicKey);
      assert.deepEqual(publicKeyFromHex(suite, bytesToHex(key.publicKey.bytes)), key.publicKey);
      assert.equal(addressOf('sha256', key), bytesToHex(deriveAddress('sha256', key.publicKey)));
      assert.equal(addressOf('sm3', key.publicKey), bytesToHex(deriveAddress('sm3', key.publicKey)));
      assert.notEqual(addressOf('sm3', key), addressOf('sha256', key));
    }
    assert.throws(() => keyPairFromHex('ed25519', '00'), { code: 'SDK_INVALID_ARGUMENT' });
    assert.throws(() => keyPairFromHex('rsa', '00'), { code: 'SDK_INVALID_ARGUMENT' });
    assert.throws(() => publicKeyFromHex('sm2', 'ab'), { code: 'SDK_INVALID_ARGUMENT' });
  });
});
