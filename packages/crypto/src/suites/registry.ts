import { CryptoError } from '../errors.js';
import { ed25519 } from './ed25519.js';
import { hybridSuite } from './hybrid.js';
import { mlDsa44, mlDsa65 } from './ml-dsa.js';
import { secp256k1 } from './secp256k1.js';
import { sm2 } from './sm2.js';
import { type SignatureSuite, SUITE_IDS, type SuiteId } from './suite.js';

const suites: Readonly<Record<SuiteId, SignatureSuite>> = {
  ed25519,
  sm2,
  secp256k1,
  'ml-dsa-44': mlDsa44,
  'ml-dsa-65': mlDsa65,
  'sm2+ml-dsa-65': hybridSuite('sm2+ml-dsa-65', 6, sm2, mlDsa65),
  'ed25519+ml-dsa-44': hybridSuite('ed25519+ml-dsa-44', 7, ed25519, mlDsa44),
};

const byCode = new Map<number, SignatureSuite>(Object.values(suites).map((s) => [s.code, s]));

export function isSuiteId(value: unknown): value is SuiteId {
  return typeof value === 'string' && (SUITE_IDS as readonly string[]).includes(value);
}

export function getSuite(id: string): SignatureSuite {
  if (!isSuiteId(id)) {
    throw new CryptoError('CRYPTO_UNKNOWN_SUITE', `unknown signature suite "${id}"`, {
      suite: id,
      known: SUITE_IDS,
    });
  }
  return suites[id];
}

export function getSuiteByCode(code: number): SignatureSuite {
  const suite = byCode.get(code);
  if (!suite) throw new CryptoError('CRYPTO_UNKNOWN_SUITE', `unknown signature suite code ${code}`, { code });
  return suite;
}
