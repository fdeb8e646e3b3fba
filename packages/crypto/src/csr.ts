import { der, derTlv, oidDotted, readDerChildren, signatureFromDer, signatureToDer } from './der.js';
import { CryptoError } from './errors.js';
import { type KeyPair, type PublicKey, sign, verify } from './keys.js';
import { fromPem, toPem } from './pem.js';
import { getSuite } from './suites/registry.js';
import { SM2_DEFAULT_USER_ID } from './suites/sm2.js';
import type { SignatureOptions, SuiteId } from './suites/suite.js';
import {
  certificateSpki,
  type DistinguishedName,
  encodeName,
  expect,
  isTag,
  parseCertificateSpki,
  parseName,
  signatureAlgorithmOfId,
  signatureAlgorithmOfSuite,
} from './x509-fields.js';

/**
 * PKCS#10 certification requests (RFC 2986): a subject name and a public key, signed by that
 * key (proof of possession), which a CA turns into a certificate without ever holding the
 * subject's secret. Built on the same pieces as x509.ts, so a request carries exactly what a
 * certificate of ours can: names of C, O, OU and CN, a key of any suite with an SPKI, and a
 * signature of a suite with an X.509 algorithm (ed25519, sm2 as SM3withSM2 with the default
 * user ID, secp256k1, ML-DSA). Hybrid keys have no signature algorithm there, so no request.
 */

export interface CertificationRequest {
  readonly subject: DistinguishedName;
  readonly publicKey: PublicKey;
  /**
   * The request's attributes (an extensionRequest, a challengePassword), by dotted OID with
   * their DER values. Shown, never acted on: the CA alone decides a certificate's extensions.
   */
  readonly attributes: readonly { readonly oid: string; readonly values: Uint8Array }[];
  /** The whole request as given. */
  readonly der: Uint8Array;
  /** The exact CertificationRequestInfo bytes that were signed. */
  readonly info: Uint8Array;
  /** The signing suite, from signatureAlgorithm (the key's own suite, or the request is invalid). */
  readonly signatureSuite: SuiteId;
  /** Raw form (r||s for sm2/secp256k1, converted from DER). */
  readonly signature: Uint8Array;
}

function invalidRequest(reason: string, details: Record<string, unknown> = {}): CryptoError {
  return new CryptoError('CRYPTO_CSR_INVALID', `invalid certification request: ${reason}`, details);
}

/**
 * A DER request for `key`'s public key under `subject`, signed with its secret key. Throws
 * CRYPTO_UNSUPPORTED_FORMAT for a suite with no X.509 signature (the hybrids).
 */
export function createCsr(key: KeyPair, subject: DistinguishedName): Uint8Array {
  const algorithm = signatureAlgorithmOfSuite(key?.secretKey?.suite);
  if (key.publicKey.suite !== key.secretKey.suite)
    throw new CryptoError('CRYPTO_SUITE_MISMATCH', 'the public and secret keys are of different suites', {});
  const info = der.sequence(
    der.integer(Uint8Array.of(0)), // version v1(0)
    encodeName(subject, 'subject'),
    certificateSpki(key.publicKey),
    derTlv(0xa0), // attributes [0] IMPLICIT SET OF: none
  );
  const raw = sign(key.secretKey, info).bytes;
  return der.sequence(
    info,
    algorithm.algorithmId,
    der.bitString(algorithm.derSignature ? signatureToDer(raw) : raw),
  );
}

/** Parses a DER request strictly; any defect is a CryptoError 'CRYPTO_CSR_INVALID'. */
export function parseCsr(derBytes: Uint8Array): CertificationRequest {
  if (!(derBytes instanceof Uint8Array)) throw invalidRequest('expected bytes');
  const bytes = derBytes.slice(); // our own copy: the caller may reuse its buffer
  try {
    const outer = expect(bytes, 0x30, 'CertificationRequest', false);
    if (outer.end !== bytes.length) throw invalidRequest('trailing bytes after the request');
    const [info, algorithm, signature, extra] = readDerChildren(outer.content);
    if (!isTag(info, 0x30) || !isTag(algorithm, 0x30) || !isTag(signature, 0x03) || extra)
      throw invalidRequest('expected SEQUENCE { certificationRequestInfo, signatureAlgorithm, signature }');
    const [version, subject, spki, attributes, trailing] = readDerChildren(info.content);
    if (!isTag(version, 0x02) || version.content.length !== 1 || version.content[0] !== 0)
      throw invalidRequest('only version 1 (0) requests exist');
    if (!isTag(subject, 0x30) || !isTag(spki, 0x30))
      throw invalidRequest('malformed CertificationRequestInfo');
    if (!isTag(attributes, 0xa0)) throw invalidRequest('missing attributes [0]');
    if (trailing) throw invalidRequest('unexpected field after attributes');
    const publicKey = parseCertificateSpki(spki);
    const suite = signatureAlgorithmOfId(algorithm);
    if (suite.suite !== publicKey.suite)
      throw invalidRequest(`a ${publicKey.suite} key cannot sign with ${suite.suite}`);
    if (signature.content[0] !== 0) throw invalidRequest('signature has unused bits');
    const value = signature.content.subarray(1);
    const raw = suite.derSignature ? signatureFromDer(value) : value.slice();
    if (!suite.derSignature && raw.length !== getSuite(suite.suite).signatureLength)
      throw invalidRequest(`${suite.suite} signature has the wrong length`, { length: raw.length });
    return {
      subject: parseName(subject, 'subject'),
      publicKey,
      attributes: parseAttributes(attributes.content),
      der: bytes,
      info: info.tlv,
      signatureSuite: suite.suite,
      signature: raw,
    };
  } catch (error) {
    if (error instanceof CryptoError && error.code === 'CRYPTO_CSR_INVALID') throw error;
    // The shared readers speak of certificates, der.ts and the suites have their own codes: one code out.
    const reason = (error instanceof Error ? error.message : String(error)).replace(
      /^invalid certificate: /,
      '',
    );
    throw invalidRequest(reason, { cause: error instanceof CryptoError ? error.code : 'error' });
  }
}

/** Attribute ::= SEQUENCE { type OBJECT IDENTIFIER, values SET OF ANY }. */
function parseAttributes(content: Uint8Array): CertificationRequest['attributes'] {
  return readDerChildren(content).map((attribute) => {
    const [type, values, extra] = isTag(attribute, 0x30) ? readDerChildren(attribute.content) : [];
    if (!isTag(type, 0x06) || !isTag(values, 0x31) || extra) throw invalidRequest('malformed attribute');
    return { oid: oidDotted(type.content), values: values.tlv.slice() };
  });
}

/**
 * Whether the request is signed by the key it names (proof of possession). Never throws.
 * SM2 uses the default user ID 1234567812345678 unless `{ sm2UserId }` names another; this
 * checks that one ID only (`verifiedCsr` also accepts OpenSSL 3's empty one).
 */
export function verifyCsrSignature(
  csr: CertificationRequest,
  options?: Pick<SignatureOptions, 'sm2UserId'>,
): boolean {
  try {
    return verify(csr.publicKey, csr.info, { suite: csr.signatureSuite, bytes: csr.signature }, options);
  } catch {
    return false;
  }
}

/** A request whose self-signature verified, and, for SM2, the user ID it verified with. */
export interface VerifiedCertificationRequest extends CertificationRequest {
  /**
   * SM2 only: the user ID hashed into the signature: the default 1234567812345678, or '' for
   * a request OpenSSL 3 signed without `-sigopt distid:1234567812345678`. Either proves
   * possession of the key.
   */
  readonly sm2UserId?: string;
}

/** The SM2 user IDs a request is tried with when none is named: the default, then OpenSSL 3's empty one. */
const SM2_REQUEST_IDS = [SM2_DEFAULT_USER_ID, ''] as const;

/**
 * Parses and checks the self-signature: what a CA runs before issuing. CRYPTO_CSR_INVALID for
 * a malformed request, CRYPTO_CSR_SIGNATURE when its key did not sign it (tampered, or forged).
 * An SM2 request is checked with the default user ID, then (OpenSSL 3 signs requests with an
 * empty ID unless told otherwise) with the empty one; the result says which verified.
 * `{ sm2UserId }` checks that ID only.
 */
export function verifiedCsr(
  derBytes: Uint8Array,
  options?: Pick<SignatureOptions, 'sm2UserId'>,
): VerifiedCertificationRequest {
  const csr = parseCsr(derBytes);
  if (csr.signatureSuite !== 'sm2') {
    if (verifyCsrSignature(csr, options)) return csr;
  } else {
    const ids = options?.sm2UserId === undefined ? SM2_REQUEST_IDS : [options.sm2UserId];
    const id = ids.find((sm2UserId) => verifyCsrSignature(csr, { sm2UserId }));
    if (id !== undefined) return { ...csr, sm2UserId: id };
  }
  throw new CryptoError(
    'CRYPTO_CSR_SIGNATURE',
    csr.signatureSuite === 'sm2'
      ? `the certification request is not signed by the key it names with the SM2 user ID ${options?.sm2UserId === undefined ? `${SM2_DEFAULT_USER_ID} nor with the empty one (OpenSSL 3's default)` : JSON.stringify(options.sm2UserId)} (altered, or not proof of possession)`
      : 'the certification request is not signed by the key it names (altered, or not proof of possession)',
    { suite: csr.publicKey.suite },
  );
}

export function csrToPem(derBytes: Uint8Array): string {
  return toPem('CERTIFICATE REQUEST', derBytes);
}

/** The DER of the first CERTIFICATE REQUEST block; CRYPTO_INVALID_PEM if none or its base64 is not canonical. */
export function csrFromPem(pem: string): Uint8Array {
  if (typeof pem !== 'string')
    throw new CryptoError('CRYPTO_INVALID_PEM', 'invalid PEM: expected a string', {});
  const body = fromPem(pem, 'CERTIFICATE REQUEST');
  const match = /-----BEGIN CERTIFICATE REQUEST-----([^-]*)-----END/.exec(pem);
  const text = (match?.[1] ?? '').replace(/\s+/g, '');
  if (body.length === 0 || Buffer.from(body).toString('base64') !== text)
    throw new CryptoError('CRYPTO_INVALID_PEM', 'invalid PEM certification request: malformed base64', {});
  return body;
}
