import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@pujiang/types';
import {
  aeadDecrypt,
  aeadEncrypt,
  CryptoError,
  createSm4BlockCipher,
  hash,
  sm4DecryptBlock,
  sm4EncryptBlock,
} from '../src/index.js';

describe('SM3 (GB/T 32905 examples)', () => {
  it('example 1: "abc"', () => {
    assert.equal(
      bytesToHex(hash('sm3', utf8ToBytes('abc'))),
      '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0',
    );
  });
  it('example 2: "abcd" x 16 (64 bytes)', () => {
    assert.equal(
      bytesToHex(hash('sm3', utf8ToBytes('abcd'.repeat(16)))),
      'debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732',
    );
  });
  it('hashes the concatenation of its parts', () => {
    assert.deepEqual(hash('sm3', utf8ToBytes('ab'), utf8ToBytes('c')), hash('sm3', utf8ToBytes('abc')));
  });
});

describe('SHA-256 (FIPS 180-4 example)', () => {
  it('"abc"', () => {
    assert.equal(
      bytesToHex(hash('sha256', utf8ToBytes('abc'))),
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
  it('refuses an unknown algorithm with a typed error', () => {
    assert.throws(() => hash('md5' as never, new Uint8Array()), { code: 'CRYPTO_UNKNOWN_HASH' });
  });
});

describe('SM4 (GB/T 32907 examples)', () => {
  const key = hexToBytes('0123456789abcdeffedcba9876543210');
  it('example 1: one block encrypts and decrypts', () => {
    const ct = sm4EncryptBlock(key, key);
    assert.equal(bytesToHex(ct), '681edf34d206965e86b3e94f536e4246');
    assert.deepEqual(sm4DecryptBlock(key, ct), key);
  });
  it('example 2: 1,000,000 iterations', () => {
    // The standard encrypts the block with the same key a million times.
    const cipher = createSm4BlockCipher(key);
    let block = key;
    for (let i = 0; i < 1_000_000; i++) block = cipher.encryptBlock(block);
    assert.equal(bytesToHex(block), '595298c7c6fd271f0402f804c33d3f66');
  });
});

describe('SM4-GCM (RFC 8998 appendix A.1)', () => {
  const key = hexToBytes('0123456789ABCDEFFEDCBA9876543210');
  const nonce = hexToBytes('00001234567800000000ABCD');
  const aad = hexToBytes('FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2');
  const plaintext = hexToBytes(
    'AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBBCCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDDEEEEEEEEEEEEEEEEFFFFFFFFFFFFFFFFEEEEEEEEEEEEEEEEAAAAAAAAAAAAAAAA',
  );
  const expected =
    '17f399f08c67d5ee19d0dc9969c4bb7d5fd46fd3756489069157b282bb200735d82710ca5c22f0ccfa7cbf93d496ac15a56834cbcf98c397b4024a2691233b8d' +
    '83de3541e4c2b58177e065a9bf7b62ec';

  it('reproduces the ciphertext and tag', () => {
    assert.equal(bytesToHex(aeadEncrypt('sm4-gcm', key, nonce, plaintext, aad)), expected);
  });
  it('decrypts, and refuses any flipped bit in ciphertext, tag, AAD or nonce', () => {
    const sealed = hexToBytes(expected);
    assert.deepEqual(aeadDecrypt('sm4-gcm', key, nonce, sealed, aad), plaintext);
    for (const at of [0, 63, 64, 79]) {
      const bad = sealed.slice();
      bad[at]! ^= 1;
      assert.throws(() => aeadDecrypt('sm4-gcm', key, nonce, bad, aad), { code: 'CRYPTO_DECRYPT_FAILED' });
    }
    const badAad = aad.slice();
    badAad[0]! ^= 0x80;
    assert.throws(() => aeadDecrypt('sm4-gcm', key, nonce, sealed, badAad), {
      code: 'CRYPTO_DECRYPT_FAILED',
    });
    const badNonce = nonce.slice();
    badNonce[11]! ^= 1;
    assert.throws(() => aeadDecrypt('sm4-gcm', key, badNonce, sealed, aad), {
      code: 'CRYPTO_DECRYPT_FAILED',
    });
  });
  it('round-trips odd lengths, including empty', () => {
    for (const n of [0, 1, 15, 16, 17, 1000]) {
      const pt = new Uint8Array(n).map((_, i) => i);
      assert.deepEqual(aeadDecrypt('sm4-gcm', key, nonce, aeadEncrypt('sm4-gcm', key, nonce, pt)), pt);
    }
  });
});

describe('AES-256-GCM (McGrew-Viega GCM spec test cases 13 and 14)', () => {
  const key = new Uint8Array(32);
  const nonce = new Uint8Array(12);
  it('empty plaintext gives the published tag', () => {
    assert.equal(
      bytesToHex(aeadEncrypt('aes-256-gcm', key, nonce, new Uint8Array())),
      '530f8afbc74536b9a963b4f1c4cb738b',
    );
  });
  it('one zero block gives the published ciphertext and tag', () => {
    const sealed = aeadEncrypt('aes-256-gcm', key, nonce, new Uint8Array(16));
    assert.equal(bytesToHex(sealed), 'cea7403d4d606b6e074ec5d3baf39d18d0d1c8a799996bf0265b98b5d48ab919');
    assert.deepEqual(aeadDecrypt('aes-256-gcm', key, nonce, sealed), new Uint8Array(16));
    sealed[3]! ^= 4;
    assert.throws(() => aeadDecrypt('aes-256-gcm', key, nonce, sealed), { code: 'CRYPTO_DECRYPT_FAILED' });
  });
  it('refuses bad key and nonce lengths with typed errors', () => {
    assert.throws(
      () => aeadEncrypt('aes-256-gcm', new Uint8Array(16), nonce, new Uint8Array()),
      (e: unknown) => {
        return e instanceof CryptoError && e.code === 'CRYPTO_INVALID_KEY_LENGTH';
      },
    );
    assert.throws(() => aeadEncrypt('sm4-gcm', new Uint8Array(16), new Uint8Array(8), new Uint8Array()), {
      code: 'CRYPTO_INVALID_NONCE',
    });
    assert.throws(() => aeadDecrypt('sm4-gcm', new Uint8Array(16), nonce, new Uint8Array(3)), {
      code: 'CRYPTO_DECRYPT_FAILED',
    });
    assert.throws(() => aeadEncrypt('sm4-gcm', new Uint8Array(16), nonce, new Uint8Array(), 'aad' as never), {
      code: 'CRYPTO_INVALID_INPUT',
    });
  });
});
