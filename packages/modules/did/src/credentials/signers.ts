import { p256 } from '@noble/curves/nist.js';
import { getSuite } from '@pujiang/crypto';
import { splitDidUrl } from '../did-syntax.js';
import type { Signer } from './cryptosuites.js';
import { CredentialError } from './errors.js';

/** An issuer's signing key: never sent anywhere, only used through `signerFor`. */
export interface IssuerKey {
  /** The DID URL of its verification method (`did:...#key-1`); the DID is the issuer. */
  readonly verificationMethod: string;
  readonly algorithm: 'Ed25519' | 'P-256' | 'SM2';
  readonly secretKey: Uint8Array;
}

/**
 * The signer the Data Integrity library calls: Ed25519 over the verify data (eddsa-rdfc-2022),
 * ECDSA P-256 with SHA-256 as IEEE P1363 r || s (ecdsa-rdfc-2019), SM2 with SM3 and the
 * default user id (sm2-rdfc-2025).
 */
export function signerFor(key: IssuerKey): Signer {
  if (!splitDidUrl(key.verificationMethod).fragment)
    throw new CredentialError(
      'VC_DATA_MODEL',
      'verificationMethod',
      'the key must name its verification method (did:...#fragment)',
    );
  const sign =
    key.algorithm === 'P-256'
      ? (data: Uint8Array) => p256.sign(data, key.secretKey)
      : (data: Uint8Array) => getSuite(key.algorithm === 'SM2' ? 'sm2' : 'ed25519').sign(key.secretKey, data);
  return { id: key.verificationMethod, algorithm: key.algorithm, sign: async ({ data }) => sign(data) };
}

/** The DID a key signs for (its verification method without the fragment). */
export const issuerDidOf = (key: IssuerKey): string => splitDidUrl(key.verificationMethod).did;
