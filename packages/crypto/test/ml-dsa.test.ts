import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@pujiang/types';
import { getSuite, type SuiteId } from '../src/index.js';
import { mlDsaExpandedSecretKey } from '../src/suites/ml-dsa.js';
import { loadVectors } from './vectors.js';

interface KeyGenCase {
  parameterSet: string;
  tcId: number;
  seed: string;
  pk: string;
  sk: string;
}
interface SigVerCase {
  parameterSet: string;
  tcId: number;
  pk: string;
  message: string;
  context: string;
  signature: string;
  testPassed: boolean;
}

const acvp = loadVectors<{ keyGen: KeyGenCase[]; sigVer: SigVerCase[] }>('ml-dsa-acvp.json');
const suiteOf = (parameterSet: string): SuiteId => (parameterSet === 'ML-DSA-44' ? 'ml-dsa-44' : 'ml-dsa-65');

describe('ML-DSA (NIST ACVP, FIPS 204)', () => {
  it('has keyGen and sigVer samples for both parameter sets', () => {
    assert.deepEqual(new Set(acvp.keyGen.map((c) => c.parameterSet)), new Set(['ML-DSA-44', 'ML-DSA-65']));
    assert.ok(acvp.sigVer.some((c) => c.testPassed) && acvp.sigVer.some((c) => !c.testPassed));
  });

  for (const c of acvp.keyGen) {
    it(`keyGen ${c.parameterSet} tcId ${c.tcId}: the seed gives the published public key, and its key signs`, () => {
      const suite = getSuite(suiteOf(c.parameterSet));
      const seed = hexToBytes(c.seed);
      assert.equal(bytesToHex(suite.publicKeyFromSecretKey(seed)), c.pk);
      assert.equal(
        bytesToHex(mlDsaExpandedSecretKey(suiteOf(c.parameterSet) as 'ml-dsa-44' | 'ml-dsa-65', seed)),
        c.sk,
      );
      const message = utf8ToBytes('acvp keygen');
      assert.equal(suite.verify(hexToBytes(c.pk), message, suite.sign(seed, message)), true);
    });
  }

  for (const c of acvp.sigVer) {
    it(`sigVer ${c.parameterSet} tcId ${c.tcId}: ${c.testPassed ? 'valid' : 'invalid'}`, () => {
      const suite = getSuite(suiteOf(c.parameterSet));
      const ok = suite.verify(hexToBytes(c.pk), hexToBytes(c.message), hexToBytes(c.signature), {
        mlDsaContext: hexToBytes(c.context),
      });
      assert.equal(ok, c.testPassed);
    });
  }

  it('a valid signature fails under another context', () => {
    const c = acvp.sigVer.find((x) => x.testPassed && x.context.length > 0)!;
    const suite = getSuite(suiteOf(c.parameterSet));
    assert.equal(suite.verify(hexToBytes(c.pk), hexToBytes(c.message), hexToBytes(c.signature)), false);
  });

  it('refuses a context longer than 255 bytes with a typed error', () => {
    const suite = getSuite('ml-dsa-44');
    assert.throws(
      () => suite.sign(new Uint8Array(32), new Uint8Array(), { mlDsaContext: new Uint8Array(256) }),
      {
        code: 'CRYPTO_UNSUPPORTED_FORMAT',
      },
    );
  });
});
