import { parentPort, workerData } from 'node:worker_threads';
import { p256 } from '@noble/curves/nist.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { generateKeyPair, getSuite } from '@pujiang/crypto';
import {
  BUNDLED_CONTEXTS,
  didKeyOfChainKey,
  didResolver,
  documentLoader,
  type IssuerKey,
  issueCredential,
  toMultibase,
  verifyCredential,
} from '@pujiang/sdk';

/**
 * One core's share of the did group: credentials issued or verified, or raw signatures
 * verified, per second for `ms` in one cryptosuite, with did:key issuers (no chain: what is
 * measured is canonicalization and signatures).
 */
export interface DidJob {
  readonly mode: 'issue' | 'verify' | 'raw';
  readonly algorithm: 'Ed25519' | 'P-256' | 'SM2';
  readonly ms: number;
}

function issuerKey(algorithm: DidJob['algorithm']): IssuerKey {
  if (algorithm === 'P-256') {
    const secretKey = p256.utils.randomSecretKey();
    const multibase = toMultibase({ algorithm, bytes: p256.getPublicKey(secretKey, true) });
    return { verificationMethod: `did:key:${multibase}#${multibase}`, algorithm, secretKey };
  }
  const pair = generateKeyPair(algorithm === 'SM2' ? 'sm2' : 'ed25519');
  const multibase = toMultibase(didKeyOfChainKey(pair.publicKey)!);
  return {
    verificationMethod: `did:key:${multibase}#${multibase}`,
    algorithm,
    secretKey: pair.secretKey.bytes,
  };
}

export const credentialFor = (issuer: string, n: number) => ({
  '@context': ['https://www.w3.org/ns/credentials/v2', { '@vocab': 'https://customs.example/terms#' }],
  id: `urn:uuid:00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  type: ['VerifiableCredential', 'CertificateOfOrigin'],
  issuer,
  validFrom: '2026-01-01T00:00:00Z',
  credentialSubject: { id: 'did:example:exporter', originCountry: 'CN', hsCode: '8471.30', value: String(n) },
});

async function run(job: DidJob): Promise<number> {
  const key = issuerKey(job.algorithm);
  const did = key.verificationMethod.split('#')[0]!;
  const resolver = didResolver({});
  const loader = documentLoader(BUNDLED_CONTEXTS, resolver);
  let op: (n: number) => Promise<unknown>;
  if (job.mode === 'raw') {
    // The suite's signature alone over 64 bytes (the verify data Data Integrity signs).
    const data = new Uint8Array(64).fill(7);
    if (job.algorithm === 'P-256') {
      // Web Crypto, as ecdsa-rdfc-2019's verifier (@digitalbazaar/ecdsa-multikey) uses.
      const signature = p256.sign(sha256(data), key.secretKey, { prehash: false });
      const publicKey = await crypto.subtle.importKey(
        'raw',
        p256.getPublicKey(key.secretKey, false),
        { name: 'ECDSA', namedCurve: 'P-256' },
        false,
        ['verify'],
      );
      op = async () => crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, publicKey, signature, data);
    } else {
      const suite = getSuite(job.algorithm === 'SM2' ? 'sm2' : 'ed25519');
      const signature = suite.sign(key.secretKey, data);
      const publicKey = suite.publicKeyFromSecretKey(key.secretKey);
      op = async () => suite.verify(publicKey, data, signature);
    }
  } else if (job.mode === 'issue') {
    op = (n) => issueCredential({ credential: credentialFor(did, n), key, loader });
  } else {
    const signed = await issueCredential({ credential: credentialFor(did, 0), key, loader });
    op = async () => {
      const report = await verifyCredential(signed, { contexts: BUNDLED_CONTEXTS, resolver });
      if (!report.verified) throw new Error(report.error?.message);
    };
  }
  // A raw verification that fails would be measured as fast: check the first one.
  if ((await op(0)) === false) throw new Error(`${job.algorithm}: the raw signature does not verify`);
  let ops = 0;
  const start = performance.now();
  while (performance.now() - start < job.ms) await op(++ops);
  return (ops * 1000) / (performance.now() - start);
}

if (parentPort) run(workerData as DidJob).then((rate) => parentPort!.postMessage(rate));
