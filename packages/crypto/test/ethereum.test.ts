import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@pujiang/types';
import fc from 'fast-check';
import { ethereumAddress, keccak256, recoverEthereumSigner, signEthereumDigest } from '../src/index.js';

const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

describe('Ethereum primitives', () => {
  it("Keccak-256 is Ethereum's (published vectors), not SHA3-256", () => {
    assert.equal(
      bytesToHex(keccak256(new Uint8Array(0))),
      'c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470',
    );
    assert.equal(
      bytesToHex(keccak256(utf8ToBytes('abc'))),
      '4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45',
    );
  });

  it('derives the published address of a known key (compressed or not)', () => {
    const key = hexToBytes('4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318');
    const expected = '2c7536e3605d9c16a7a3d7b1898e529396a65c23';
    assert.equal(bytesToHex(ethereumAddress(secp256k1.getPublicKey(key, true))), expected);
    assert.equal(bytesToHex(ethereumAddress(secp256k1.getPublicKey(key, false))), expected);
  });

  it('recovers the signer as noble does, and refuses high s (property)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        (seed, digest) => {
          if (!secp256k1.utils.isValidSecretKey(seed)) return true;
          const { r, s, yParity } = signEthereumDigest(seed, digest);
          const key = recoverEthereumSigner(digest, r, s, yParity);
          assert.deepEqual(key, secp256k1.getPublicKey(seed, true));
          assert.throws(() => recoverEthereumSigner(digest, r, N - s, 1 - yParity), {
            code: 'CRYPTO_INVALID_SIGNATURE',
          });
          return true;
        },
      ),
      { numRuns: 50 },
    );
    assert.throws(() => recoverEthereumSigner(new Uint8Array(32), 0n, 1n, 0), {
      code: 'CRYPTO_INVALID_SIGNATURE',
    });
    assert.throws(() => recoverEthereumSigner(new Uint8Array(31), 1n, 1n, 0), {
      code: 'CRYPTO_INVALID_SIGNATURE',
    });
  });
});
