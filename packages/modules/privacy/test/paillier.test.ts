import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { hexToBytes, isPujiangError } from '@pujiang/types';
import { decryptPaillier, encryptPaillier, modulusBytes, parsePaillierKeyFile } from '../src/client/index.js';
import {
  addPaillier,
  bigintFromBytes,
  bigintToBytes,
  opensTo,
  parseCiphertext,
  parseModulus,
} from '../src/index.js';
import { verifyPaillierTotal } from '../src/verify/index.js';

/** The committed fixtures: a 2048-bit test key and 1,000 ciphertexts (test/fixtures/generate.mjs). */
export const FIXTURES = JSON.parse(
  readFileSync(new URL('../../test/fixtures/paillier-2048.json', import.meta.url), 'utf8'),
) as {
  key: { format: string; n: string; p: string; q: string };
  reports: { value: string; ciphertext: string }[];
};

describe('Paillier aggregation', () => {
  const keyFile = parsePaillierKeyFile(FIXTURES.key);
  const n = BigInt(`0x${keyFile.n}`);
  const modulus = modulusBytes(n);

  it('sums the 1,000 fixture ciphertexts to the sum of their values, and the opening proves it', () => {
    let total = 1n;
    let expected = 0n;
    for (const r of FIXTURES.reports) {
      total = addPaillier(n, total, parseCiphertext(n, modulus.length, hexToBytes(r.ciphertext)));
      expected += BigInt(r.value);
    }
    const hex = bigintToBytes(total, 2 * modulus.length);
    const { value, randomness } = decryptPaillier(keyFile, Buffer.from(hex).toString('hex'));
    assert.equal(value, expected);
    assert.ok(opensTo(n, total, value, randomness));
    assert.ok(!opensTo(n, total, value + 1n, randomness));
    assert.ok(
      verifyPaillierTotal({ modulus: keyFile.n, total: Buffer.from(hex).toString('hex'), value, randomness }),
    );
  });

  it('refuses malformed ciphertexts and moduli with typed codes', () => {
    const reason = (bytes: Uint8Array) => {
      try {
        parseCiphertext(n, modulus.length, bytes);
        return 'accepted';
      } catch (e) {
        assert.ok(isPujiangError(e, 'PRIVACY_BAD_CIPHERTEXT'));
        return e.details.reason;
      }
    };
    assert.equal(reason(new Uint8Array(511)), 'length');
    assert.equal(reason(new Uint8Array(512)), 'range');
    assert.equal(reason(bigintToBytes(n * n, 512)), 'range');
    assert.equal(reason(bigintToBytes(n * 7n, 512)), 'unit');
    assert.equal(reason(encryptPaillier(n, 5n)), 'accepted');
    assert.throws(
      () => parseModulus(new Uint8Array(255).fill(0xff)),
      (e) => isPujiangError(e, 'PRIVACY_BAD_KEY'),
    );
    assert.throws(
      () => parseModulus(bigintToBytes(n * 2n - n, 256).map((b, i) => (i === 255 ? b & 0xfe : b))),
      (e) => isPujiangError(e, 'PRIVACY_BAD_KEY'),
    );
    assert.throws(
      () => parsePaillierKeyFile({ ...FIXTURES.key, p: '3' }),
      (e) => isPujiangError(e, 'SDK_INVALID_ARGUMENT'),
    );
    assert.equal(bigintFromBytes(modulus), n);
  });
});
