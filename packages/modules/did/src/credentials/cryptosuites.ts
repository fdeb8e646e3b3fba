import { cryptosuite as ecdsaRdfc2019 } from '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { getSuite, hash } from '@pujiang/crypto';
import jsonld from 'jsonld';
import * as rdfCanonize from 'rdf-canonize';
import { fromMultibase, uncompressedKey } from '../keys.js';

/**
 * The Data Integrity cryptosuites this platform issues and verifies: `eddsa-rdfc-2022`
 * (Ed25519) and `ecdsa-rdfc-2019` (P-256) from their maintained implementations, and
 * `sm2-rdfc-2025` for government issuers (docs/sm2-cryptosuite.md): RDFC-1.0
 * canonicalization, SM3 digests and an SM2 signature. Canonicalization is bounded: RDFC-1.0's
 * work factor stays at 1 and each canonicalization must finish within `CANONIZE_TIMEOUT_MS`.
 */
export const CRYPTOSUITE_NAMES = ['eddsa-rdfc-2022', 'ecdsa-rdfc-2019', 'sm2-rdfc-2025'] as const;
export type CryptosuiteName = (typeof CRYPTOSUITE_NAMES)[number];
export const CANONIZE_TIMEOUT_MS = 5_000;

export interface Cryptosuite {
  name: string;
  requiredAlgorithm: string | string[];
  canonize(input: unknown, options: Record<string, unknown>): Promise<string>;
  createVerifier(options: { verificationMethod: Record<string, unknown> }): Promise<unknown>;
  createVerifyData?: (options: Record<string, unknown>) => Promise<Uint8Array>;
}

/** Canonicalization within the bounds above, whatever the caller asked. */
function bounded(suite: Cryptosuite): Cryptosuite {
  return {
    ...suite,
    canonize: (input, options) =>
      suite.canonize(input, {
        ...options,
        maxWorkFactor: 1,
        signal: AbortSignal.timeout(CANONIZE_TIMEOUT_MS),
      }),
  };
}

/** RDFC-1.0 N-Quads of a JSON-LD document, as the other suites canonize (safe mode, no base). */
async function canonizeRdfc(input: unknown, options: Record<string, unknown>): Promise<string> {
  const dataset = await jsonld.toRDF(input, {
    base: null,
    safe: true,
    rdfDirection: 'i18n-datatype',
    ...options,
    produceGeneralizedRdf: false,
  });
  return rdfCanonize.canonize(dataset, { algorithm: 'RDFC-1.0', maxWorkFactor: 1, ...options });
}

const sm3 = (text: string) => hash('sm3', new TextEncoder().encode(text));

/** What a signer or verifier object looks like to the Data Integrity library. */
export interface Signer {
  readonly id: string;
  readonly algorithm: string;
  sign(input: { data: Uint8Array }): Promise<Uint8Array>;
}

/** An SM2 verifier for a Multikey verification method (sm2-pub), per GM/T 0003.2 with the default user id. */
function sm2Verifier(verificationMethod: Record<string, unknown>) {
  const key = fromMultibase(String(verificationMethod.publicKeyMultibase));
  if (key.algorithm !== 'SM2') throw new Error('sm2-rdfc-2025 needs an SM2 verification method');
  const publicKey = uncompressedKey(key);
  return {
    id: String(verificationMethod.id),
    algorithm: 'SM2',
    verify: async ({ data, signature }: { data: Uint8Array; signature: Uint8Array }) =>
      getSuite('sm2').verify(publicKey, data, signature),
  };
}

const sm2Rdfc2025: Cryptosuite = {
  name: 'sm2-rdfc-2025',
  requiredAlgorithm: 'SM2',
  canonize: canonizeRdfc,
  createVerifier: async ({ verificationMethod }) => sm2Verifier(verificationMethod),
  /** SM3(c14n(proof options)) || SM3(c14n(document)), as ecdsa-rdfc-2019 does with SHA-256. */
  createVerifyData: async ({ cryptosuite, document, proof, documentLoader, dataIntegrityProof }) => {
    const suite = cryptosuite as Cryptosuite;
    const options = { documentLoader, safe: true, base: null };
    const proofOptions: Record<string, unknown> = {
      '@context': (document as Record<string, unknown>)['@context'],
      ...(proof as Record<string, unknown>),
    };
    (dataIntegrityProof as { ensureSuiteContext(o: unknown): void }).ensureSuiteContext({
      document: proofOptions,
      addSuiteContext: true,
    });
    delete proofOptions.proofValue;
    const [proofHash, documentHash] = await Promise.all([
      suite.canonize(proofOptions, options).then(sm3),
      suite.canonize(document, options).then(sm3),
    ]);
    return Uint8Array.from([...proofHash, ...documentHash]);
  },
};

export const CRYPTOSUITES: Readonly<Record<CryptosuiteName, Cryptosuite>> = {
  'eddsa-rdfc-2022': bounded(eddsaRdfc2022),
  'ecdsa-rdfc-2019': bounded(ecdsaRdfc2019),
  'sm2-rdfc-2025': bounded(sm2Rdfc2025),
};

/** The suite a key algorithm signs with. */
export const SUITE_FOR_ALGORITHM: Readonly<Record<string, CryptosuiteName>> = {
  Ed25519: 'eddsa-rdfc-2022',
  'P-256': 'ecdsa-rdfc-2019',
  SM2: 'sm2-rdfc-2025',
};
