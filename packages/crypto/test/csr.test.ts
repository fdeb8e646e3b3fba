import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { der, signatureToDer } from '../src/der.js';
import {
  CryptoError,
  createCsr,
  csrFromPem,
  csrToPem,
  generateKeyPair,
  parseCsr,
  type SuiteId,
  sign,
  verifiedCsr,
  verifyCsrSignature,
} from '../src/index.js';

/**
 * PKCS#10 requests: a round trip for every suite with an X.509 signature, tampering caught,
 * OpenSSL's requests (Ed25519, SM2 with the default and the empty user ID) read and verified,
 * ours verified by the openssl command when the machine has it, and malformed input always a
 * typed CRYPTO_* error (a fuzz loop of random mutations).
 */
const fixture = (name: string) =>
  readFileSync(new URL(`../../test/fixtures/${name}`, import.meta.url), 'utf8');
const SUBJECT = { commonName: 'Acme Trading Co', organization: 'org1', organizationalUnit: 'client' };
const SUITES: SuiteId[] = ['ed25519', 'sm2', 'secp256k1', 'ml-dsa-44', 'ml-dsa-65'];

const OPENSSL3 = (() => {
  const r = spawnSync('openssl', ['version'], { encoding: 'utf8' });
  return r.status === 0 && /^OpenSSL [3-9]\./.test(r.stdout);
})();
const dir = mkdtempSync(join(tmpdir(), 'pujiang-csr-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The CryptoError code `fn` throws (it must throw one). */
function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof CryptoError, `not a CryptoError: ${String(error)}`);
    return error.code;
  }
  assert.fail('did not throw');
}

/** An SM2 request signed with another user ID than the default or the empty one. */
function createCsrWithId(sm2UserId: string): Uint8Array {
  const key = generateKeyPair('sm2');
  const info = parseCsr(createCsr(key, SUBJECT)).info;
  const raw = sign(key.secretKey, info, { sm2UserId }).bytes;
  return der.sequence(info, der.sequence(der.oid('2a811ccf55018375')), der.bitString(signatureToDer(raw)));
}

describe('PKCS#10 certification requests', () => {
  for (const suite of SUITES)
    it(`round trip: ${suite}`, () => {
      const key = generateKeyPair(suite);
      const pem = csrToPem(createCsr(key, SUBJECT));
      assert.match(pem, /^-----BEGIN CERTIFICATE REQUEST-----\n/);
      const csr = verifiedCsr(csrFromPem(pem));
      assert.deepEqual(csr.subject, SUBJECT);
      assert.equal(csr.publicKey.suite, suite);
      assert.deepEqual(csr.publicKey.bytes, key.publicKey.bytes);
      assert.equal(csr.signatureSuite, suite);
      assert.deepEqual(csr.attributes, []);
    });

  it('SM2 requests sign as SM2-with-SM3 (1.2.156.10197.1.501) with the default user ID', () => {
    const csr = parseCsr(createCsr(generateKeyPair('sm2'), SUBJECT));
    const oid = Buffer.from('06082a811ccf55018375', 'hex'); // OBJECT IDENTIFIER 1.2.156.10197.1.501
    assert.ok(Buffer.from(csr.der).includes(oid));
    assert.equal(verifyCsrSignature(csr), true);
    assert.equal(verifyCsrSignature(csr, { sm2UserId: '' }), false);
  });

  it('hybrid keys have no X.509 signature: CRYPTO_UNSUPPORTED_FORMAT', () => {
    for (const suite of ['sm2+ml-dsa-65', 'ed25519+ml-dsa-44'] as const)
      assert.equal(
        codeOf(() => createCsr(generateKeyPair(suite), SUBJECT)),
        'CRYPTO_UNSUPPORTED_FORMAT',
      );
  });

  it('a tampered request fails its self-signature: CRYPTO_CSR_SIGNATURE', () => {
    for (const suite of ['ed25519', 'sm2'] as const) {
      const good = createCsr(generateKeyPair(suite), SUBJECT);
      // Another common name of the same length: still well-formed, no longer what the key signed.
      const at = Buffer.from(good).indexOf(Buffer.from('Acme'));
      const renamed = good.slice();
      renamed[at] = 'B'.charCodeAt(0);
      assert.equal(parseCsr(renamed).subject.commonName, 'Bcme Trading Co');
      assert.equal(verifyCsrSignature(parseCsr(renamed)), false);
      assert.equal(
        codeOf(() => verifiedCsr(renamed)),
        'CRYPTO_CSR_SIGNATURE',
      );
      // Another key's request with this one's signature.
      const other = parseCsr(createCsr(generateKeyPair(suite), SUBJECT));
      assert.equal(verifyCsrSignature({ ...parseCsr(good), publicKey: other.publicKey }), false);
    }
  });

  it("reads and verifies OpenSSL's requests: Ed25519, and SM2 with the default or the empty user ID, saying which", () => {
    const ed = verifiedCsr(csrFromPem(fixture('ed25519.csr.pem')));
    assert.equal(ed.publicKey.suite, 'ed25519');
    assert.deepEqual(ed.subject, SUBJECT);
    const sm2 = verifiedCsr(csrFromPem(fixture('sm2.csr.pem')));
    assert.equal(sm2.publicKey.suite, 'sm2');
    assert.deepEqual(sm2.subject, SUBJECT);
    assert.equal(sm2.sm2UserId, '1234567812345678');
    // OpenSSL 3.0 without -sigopt distid: signed with an empty ID, which proves possession all the same.
    const empty = csrFromPem(fixture('sm2-empty-id.csr.pem'));
    const accepted = verifiedCsr(empty);
    assert.deepEqual([accepted.publicKey.suite, accepted.sm2UserId], ['sm2', '']);
    assert.equal(verifyCsrSignature(parseCsr(empty)), false, 'not with the default ID');
    assert.equal(verifiedCsr(empty, { sm2UserId: '' }).sm2UserId, '');
    // Naming an ID checks that one only.
    assert.equal(
      codeOf(() => verifiedCsr(empty, { sm2UserId: '1234567812345678' })),
      'CRYPTO_CSR_SIGNATURE',
    );
    assert.equal(
      codeOf(() => verifiedCsr(csrFromPem(fixture('sm2.csr.pem')), { sm2UserId: '' })),
      'CRYPTO_CSR_SIGNATURE',
    );
    // Another ID still fails both tries; the message names them.
    assert.throws(
      () => verifiedCsr(createCsrWithId('someone else')),
      (error: unknown) =>
        error instanceof CryptoError &&
        error.code === 'CRYPTO_CSR_SIGNATURE' &&
        /1234567812345678 nor with the empty one/.test(error.message),
    );
  });

  it('openssl verifies our Ed25519 and SM2 requests', { skip: !OPENSSL3 && 'no OpenSSL 3 here' }, () => {
    for (const suite of ['ed25519', 'sm2'] as const) {
      const path = join(dir, `${suite}.csr.pem`);
      writeFileSync(path, csrToPem(createCsr(generateKeyPair(suite), SUBJECT)));
      const args = ['req', '-in', path, '-verify', '-noout'];
      if (suite === 'sm2') args.push('-vfyopt', 'distid:1234567812345678');
      const r = spawnSync('openssl', args, { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout + r.stderr, /verify OK/);
    }
  });

  it('PEM: another block, bad base64 and a non-string are CRYPTO_INVALID_PEM', () => {
    const pem = csrToPem(createCsr(generateKeyPair('ed25519'), SUBJECT));
    assert.equal(
      codeOf(() => csrFromPem(pem.replace(/REQUEST/g, 'REQUESTS'))),
      'CRYPTO_INVALID_PEM',
    );
    assert.equal(
      codeOf(() => csrFromPem(pem.replace(/\n([A-Za-z])/, '\n=$1'))),
      'CRYPTO_INVALID_PEM',
    );
    assert.equal(
      codeOf(() => csrFromPem(42 as unknown as string)),
      'CRYPTO_INVALID_PEM',
    );
  });

  it('malformed requests are CRYPTO_CSR_INVALID: truncated, trailing bytes, wrong version, foreign suite', () => {
    const good = createCsr(generateKeyPair('ed25519'), SUBJECT);
    assert.equal(
      codeOf(() => parseCsr(good.subarray(0, good.length - 1))),
      'CRYPTO_CSR_INVALID',
    );
    assert.equal(
      codeOf(() => parseCsr(Uint8Array.from([...good, 0]))),
      'CRYPTO_CSR_INVALID',
    );
    assert.equal(
      codeOf(() => parseCsr(new Uint8Array())),
      'CRYPTO_CSR_INVALID',
    );
    assert.equal(
      codeOf(() => parseCsr('x' as unknown as Uint8Array)),
      'CRYPTO_CSR_INVALID',
    );
    const versioned = good.slice();
    const version = Buffer.from(good).indexOf(Buffer.from([0x02, 0x01, 0x00]));
    versioned[version + 2] = 1;
    assert.equal(
      codeOf(() => parseCsr(versioned)),
      'CRYPTO_CSR_INVALID',
    );
    // An Ed25519 key's request claiming an SM2 signature.
    const sm2 = parseCsr(createCsr(generateKeyPair('sm2'), SUBJECT));
    const ed = parseCsr(good);
    const swapped = der.sequence(
      ed.info,
      der.sequence(der.oid('2a811ccf55018375')), // SM2-with-SM3
      der.bitString(signatureToDer(sm2.signature)),
    );
    assert.equal(
      codeOf(() => parseCsr(swapped)),
      'CRYPTO_CSR_INVALID',
    );
  });

  it('fuzz: random mutations of a valid request parse or fail with CRYPTO_*, and never verify when changed', () => {
    let seed = 20_260_315;
    const random = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    for (const suite of ['ed25519', 'sm2'] as const) {
      const good = createCsr(generateKeyPair(suite), SUBJECT);
      let parsed = 0;
      for (let round = 0; round < 1500; round++) {
        let bytes = good.slice();
        const edits = 1 + random(4);
        for (let e = 0; e < edits; e++) {
          const at = random(bytes.length);
          const kind = random(4);
          if (kind === 0) bytes[at] = random(256);
          else if (kind === 1) bytes[at]! ^= 1 << random(8);
          else if (kind === 2) bytes = Uint8Array.from([...bytes.subarray(0, at), ...bytes.subarray(at + 1)]);
          else bytes = Uint8Array.from([...bytes.subarray(0, at), random(256), ...bytes.subarray(at)]);
        }
        const same = Buffer.from(bytes).equals(Buffer.from(good));
        try {
          const csr = parseCsr(bytes);
          parsed++;
          if (!same)
            assert.equal(
              verifyCsrSignature(csr),
              false,
              `mutation verified: ${Buffer.from(bytes).toString('hex')}`,
            );
        } catch (error) {
          assert.ok(error instanceof CryptoError, `not a CryptoError: ${String(error)}`);
          assert.match(error.code, /^CRYPTO_/);
        }
      }
      assert.ok(parsed < 1500);
    }
  });
});
