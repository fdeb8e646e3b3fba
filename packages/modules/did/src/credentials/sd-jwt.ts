import { ed25519 } from '@noble/curves/ed25519.js';
import { p256 } from '@noble/curves/nist.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { invalidArgument, listArgument, objectArgument, stringArgument } from '@pujiang/module-kit';
import { isPujiangError } from '@pujiang/types';
import { base64urlnopad } from '@scure/base';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { didMethodOf, splitDidUrl } from '../did-syntax.js';
import { type DidKey, fromJwk, fromMultibase, toJwk } from '../keys.js';
import { CredentialError } from './errors.js';
import { type ChainLookup, type DidResolver, methodOf } from './resolvers.js';
import { proofDigest } from './verify.js';

/**
 * Selective disclosure: SD-JWT VC (IETF SD-JWT, RFC 9901, and its VC profile) through the
 * maintained `@sd-jwt/sd-jwt-vc`. The issuer signs (EdDSA for Ed25519, ES256 for P-256; SM2
 * has no registered JOSE algorithm, so government issuers use Data Integrity instead) with the
 * key its DID names in `kid`; the holder is bound by `cnf.jwk` and presents a subset of the
 * claims with a key-binding JWT carrying the verifier's nonce and audience.
 */
export interface JwsKey {
  /** The DID URL of the key (`kid`); its DID is the issuer (`iss`) or the holder. */
  readonly verificationMethod: string;
  readonly algorithm: 'Ed25519' | 'P-256';
  readonly secretKey: Uint8Array;
}

const ALG = { Ed25519: 'EdDSA', 'P-256': 'ES256' } as const;
const utf8 = (text: string) => new TextEncoder().encode(text);

function sign(key: Pick<JwsKey, 'algorithm' | 'secretKey'>, data: string): string {
  const bytes = utf8(data);
  return base64urlnopad.encode(
    key.algorithm === 'Ed25519' ? ed25519.sign(bytes, key.secretKey) : p256.sign(bytes, key.secretKey),
  );
}

function verifyWith(key: DidKey, data: string, signature: string): boolean {
  try {
    const sig = base64urlnopad.decode(signature);
    if (key.algorithm === 'Ed25519') return ed25519.verify(sig, utf8(data), key.bytes);
    if (key.algorithm === 'P-256') return p256.verify(sig, utf8(data), key.bytes);
  } catch {
    return false;
  }
  return false;
}

const hasher = async (data: string | ArrayBuffer) =>
  sha256(typeof data === 'string' ? utf8(data) : new Uint8Array(data));
const salt = async () => base64urlnopad.encode(crypto.getRandomValues(new Uint8Array(16)));

/** A signing key: Ed25519 (32-byte seed) or P-256 (32-byte scalar); anything else names the parameter. */
function jwsKeyArgument(key: Pick<JwsKey, 'algorithm' | 'secretKey'>, parameter: string): void {
  objectArgument(key, parameter);
  if (key.algorithm !== 'Ed25519' && key.algorithm !== 'P-256')
    throw invalidArgument(`${parameter}.algorithm must be Ed25519 or P-256`, `${parameter}.algorithm`);
  if (!(key.secretKey instanceof Uint8Array) || key.secretKey.length !== 32)
    throw invalidArgument(`${parameter}.secretKey must be 32 bytes`, `${parameter}.secretKey`);
}

/** The public JWK of a key (for `cnf`). */
export function publicJwk(key: Pick<JwsKey, 'algorithm' | 'secretKey'>): Record<string, string> {
  jwsKeyArgument(key, 'key');
  const bytes =
    key.algorithm === 'Ed25519'
      ? ed25519.getPublicKey(key.secretKey)
      : p256.getPublicKey(key.secretKey, true);
  return toJwk({ algorithm: key.algorithm, bytes });
}

export interface IssueSdJwtParameters {
  readonly issuerKey: JwsKey;
  /** The credential type (`vct`), a URL or term. */
  readonly vct: string;
  readonly claims: Record<string, unknown>;
  /** Top-level claims the holder may disclose or withhold. */
  readonly disclosable: readonly string[];
  /** The holder's public key, which presentations must be signed with. */
  readonly holderJwk: Record<string, string>;
  readonly validFrom?: Date;
  readonly validUntil?: Date;
}

/** Issues an SD-JWT VC bound to the holder's key. */
export async function issueSdJwtVc(p: IssueSdJwtParameters): Promise<string> {
  jwsKeyArgument(objectArgument(p, 'parameters').issuerKey, 'issuerKey');
  stringArgument(p.issuerKey.verificationMethod, 'issuerKey.verificationMethod');
  const issuer = splitDidUrl(p.issuerKey.verificationMethod).did;
  const sd = new SDJwtVcInstance({
    signer: (data: string) => sign(p.issuerKey, data),
    signAlg: ALG[p.issuerKey.algorithm],
    hasher,
    hashAlg: 'sha-256',
    saltGenerator: salt,
  });
  const now = Math.floor(Date.now() / 1000);
  return sd.issue(
    {
      ...p.claims,
      iss: issuer,
      vct: p.vct,
      iat: now,
      ...(p.validFrom ? { nbf: Math.floor(p.validFrom.getTime() / 1000) } : {}),
      ...(p.validUntil ? { exp: Math.floor(p.validUntil.getTime() / 1000) } : {}),
      cnf: { jwk: p.holderJwk },
    } as never,
    { _sd: [...p.disclosable] } as never,
    { header: { kid: p.issuerKey.verificationMethod } },
  );
}

/** Presents the chosen claims for one verifier: a key-binding JWT signed by the holder over its nonce and audience. */
export async function presentSdJwtVc(p: {
  credential: string;
  disclose: readonly string[];
  holderKey: Pick<JwsKey, 'algorithm' | 'secretKey'>;
  nonce: string;
  audience: string;
}): Promise<string> {
  objectArgument(p, 'parameters');
  jwsKeyArgument(p.holderKey, 'holderKey');
  const sd = new SDJwtVcInstance({
    hasher,
    hashAlg: 'sha-256',
    kbSigner: (data: string) => sign(p.holderKey, data),
    kbSignAlg: ALG[p.holderKey.algorithm],
  });
  const frame = Object.fromEntries(listArgument(p.disclose, 'disclose').map((claim) => [claim, true]));
  try {
    return await sd.present(stringArgument(p.credential, 'credential'), frame as never, {
      kb: { payload: { aud: p.audience, nonce: p.nonce, iat: Math.floor(Date.now() / 1000) } },
    });
  } catch (error) {
    if (isPujiangError(error)) throw error;
    throw new CredentialError('VC_PROOF', 'proof', `not an SD-JWT VC: ${(error as Error).message}`);
  }
}

function jsonPart(part: string | undefined): Record<string, unknown> {
  try {
    return JSON.parse(new TextDecoder().decode(base64urlnopad.decode(part ?? ''))) as Record<string, unknown>;
  } catch {
    throw new CredentialError('VC_PROOF', 'proof', 'not an SD-JWT');
  }
}

export interface SdJwtVerification {
  /** The issuer-signed claims with the disclosed ones filled in. */
  readonly claims: Record<string, unknown>;
  readonly issuer: string;
}

/** The digest to anchor for an SD-JWT VC (`did/anchor`): that of its issuer signature. */
export function sdJwtDigest(credential: string): string {
  if (typeof credential !== 'string')
    throw invalidArgument('credential must be an SD-JWT (a string)', 'credential');
  return proofDigest(credential.split('~')[0]?.split('.')[2] ?? '');
}

/**
 * Verifies a presented SD-JWT VC: the issuer's signature with the key its DID names (`kid`),
 * every disclosure's digest, validity, and the holder's key-binding JWT for this nonce and
 * audience (its key: the credential's `cnf.jwk`). Failures are `CredentialError`s naming the check.
 */
export async function verifySdJwtVc(
  presentation: string,
  o: { resolver: DidResolver; nonce: string; audience: string; now?: Date; chain?: ChainLookup },
): Promise<SdJwtVerification> {
  if (typeof presentation !== 'string' || presentation.length > 256 * 1024)
    throw new CredentialError(
      'VC_TOO_LARGE',
      'size',
      'an SD-JWT presentation is a string of at most 256 KiB',
    );
  const [jwt] = presentation.split('~');
  const [h, b] = (jwt ?? '').split('.');
  const header = jsonPart(h);
  const payload = jsonPart(b);
  const kid = String(header.kid ?? '');
  if (splitDidUrl(kid).did !== payload.iss)
    throw new CredentialError('VC_PROOF', 'proof', "the signing key (kid) is not the issuer's (iss)");
  // A did:pujiang issuer's signature is dated by its anchor (SHA-256 of the JWS signature, as
  // `proofDigest` does for a proof value), and checked against the DID as it was then.
  let atHeight: bigint | undefined;
  if (didMethodOf(String(payload.iss)) === 'pujiang') {
    const signature = (jwt ?? '').split('.')[2] ?? '';
    const anchor = await o.chain?.issuance(proofDigest(signature));
    if (!anchor)
      throw new CredentialError('VC_ISSUANCE', 'issuance-anchor', 'the SD-JWT was never anchored on chain');
    atHeight = anchor.height;
  }
  const document = await o.resolver.resolve(String(payload.iss), atHeight === undefined ? {} : { atHeight });
  const method = document && methodOf(document, kid);
  if (!method || !document?.assertionMethod?.includes(kid))
    throw new CredentialError(
      'VC_UNRESOLVABLE',
      'verificationMethod',
      `${kid} is not an assertion method of ${String(payload.iss)}`,
    );
  const issuerKey = fromMultibase(String(method.publicKeyMultibase));
  const sd = new SDJwtVcInstance({
    hasher,
    hashAlg: 'sha-256',
    verifier: (data: string, signature: string) => verifyWith(issuerKey, data, signature),
    kbVerifier: (data: string, signature: string, claims: Record<string, unknown>) => {
      const cnf = (claims.cnf as { jwk?: unknown } | undefined)?.jwk;
      return cnf !== undefined && verifyWith(fromJwk(cnf), data, signature);
    },
  });
  let result: { payload: Record<string, unknown>; kb?: { payload: Record<string, unknown> } };
  try {
    result = (await sd.verify(presentation, {
      keyBindingNonce: o.nonce,
      currentDate: Math.floor((o.now ?? new Date()).getTime() / 1000),
    })) as typeof result;
  } catch (error) {
    const message = (error as Error).message;
    if (/nonce/i.test(message)) throw new CredentialError('VC_PRESENTATION', 'challenge', message);
    if (/exp|nbf|expired|not yet/i.test(message))
      throw new CredentialError('VC_EXPIRED', 'validity', message);
    throw new CredentialError('VC_PROOF', 'proof', message);
  }
  if (!result.kb)
    throw new CredentialError('VC_PRESENTATION', 'holder', 'the presentation carries no key-binding JWT');
  if (result.kb.payload.aud !== o.audience)
    throw new CredentialError('VC_PRESENTATION', 'domain', 'the presentation is for another audience');
  return { claims: result.payload, issuer: String(payload.iss) };
}
