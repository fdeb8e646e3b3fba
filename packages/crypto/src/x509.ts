import { bytesToHex, equalBytes } from '@pujiang/types';
import { der, readDer, readDerChildren, signatureFromDer, signatureToDer } from './der.js';
import { CryptoError } from './errors.js';
import { type PublicKey, type SecretKey, sign, verify } from './keys.js';
import { fromPem, toPem } from './pem.js';
import { getSuite } from './suites/registry.js';
import type { SignatureOptions, SuiteId } from './suites/suite.js';
import {
  badInput,
  certificateSpki,
  type DistinguishedName,
  encodeExtensions,
  encodeName,
  encodeTime,
  expect,
  HYBRID_KEY_OIDS,
  invalid,
  isTag,
  parseCertificateSpki,
  parseExtensions,
  parseName,
  parseTime,
  signatureAlgorithmOfId,
  signatureAlgorithmOfSuite,
  unsignedInteger,
} from './x509-fields.js';

/**
 * X.509 v3 certificates (RFC 5280) for identities of any of our suites, issued by an
 * ed25519, sm2 (SM3withSM2, default user ID as GM/T 0015 certificates use), secp256k1
 * (ecdsa-with-SHA256) or ML-DSA (RFC 9881) key. The profile is deliberately small: names of
 * C, O, OU (the identity's role) and CN; basicConstraints and keyUsage, both critical; an
 * optional subjectKeyIdentifier. Parsing is strict DER and refuses anything it cannot fully
 * represent, so a parsed Certificate never hides a field that would change its meaning.
 */

export type { DistinguishedName } from './x509-fields.js';

/** The OIDs (2.25 UUID arc) we use for hybrid subject keys; see x509-fields.ts for why. */
export const X509_HYBRID_KEY_OIDS: Readonly<Partial<Record<SuiteId, string>>> = HYBRID_KEY_OIDS;

export interface CertificateTemplate {
  /** Positive, big-endian; its DER INTEGER content must fit in 20 bytes (RFC 5280 4.1.2.2). */
  readonly serial: Uint8Array;
  readonly issuer: DistinguishedName;
  readonly subject: DistinguishedName;
  /** Milliseconds since the epoch; written with whole seconds (milliseconds truncated). */
  readonly notBefore: number;
  readonly notAfter: number;
  /** The subject's key, of any suite (the hybrids use our 2.25 OIDs). */
  readonly publicKey: PublicKey;
  /** basicConstraints cA; keyUsage keyCertSign|cRLSign for CAs, digitalSignature otherwise. */
  readonly isCA: boolean;
  /** Written as a non-critical subjectKeyIdentifier extension when given. */
  readonly subjectKeyIdentifier?: Uint8Array;
}

export interface Certificate extends CertificateTemplate {
  /** The whole certificate as given. */
  readonly der: Uint8Array;
  /** The exact TBSCertificate bytes that were signed. */
  readonly tbs: Uint8Array;
  /** The issuer's suite, from signatureAlgorithm. */
  readonly signatureSuite: SuiteId;
  /** In the suite's raw form (r||s for sm2/secp256k1, converted from DER). */
  readonly signature: Uint8Array;
  /** basicConstraints pathLenConstraint, when a (CA) certificate has one. */
  readonly pathLenConstraint?: number;
}

function encodeSerial(serial: Uint8Array): Uint8Array {
  if (!(serial instanceof Uint8Array)) throw badInput('serial must be bytes');
  const encoded = der.integer(serial.length === 0 ? Uint8Array.of(0) : serial);
  const content = readDer(encoded).content;
  if (content.length === 1 && content[0] === 0) throw badInput('serial must be positive');
  if (content.length > 20)
    throw badInput('serial must encode in at most 20 bytes (a 20-byte one needs its top bit clear)');
  return encoded;
}

/** Issues a DER certificate for `template`, signed by `issuerKey` (not a hybrid: no X.509 form). */
export function issueCertificate(template: CertificateTemplate, issuerKey: SecretKey): Uint8Array {
  const algorithm = signatureAlgorithmOfSuite(issuerKey.suite);
  if (!(template.notAfter >= template.notBefore)) throw badInput('notAfter is before notBefore');
  const tbs = der.sequence(
    der.contextConstructed(0, der.integer(Uint8Array.of(2))), // v3
    encodeSerial(template.serial),
    algorithm.algorithmId,
    encodeName(template.issuer, 'issuer'),
    der.sequence(encodeTime(template.notBefore, 'notBefore'), encodeTime(template.notAfter, 'notAfter')),
    encodeName(template.subject, 'subject'),
    certificateSpki(template.publicKey),
    encodeExtensions(template.isCA === true, template.subjectKeyIdentifier),
  );
  const raw = sign(issuerKey, tbs).bytes;
  return der.sequence(
    tbs,
    algorithm.algorithmId,
    der.bitString(algorithm.derSignature ? signatureToDer(raw) : raw),
  );
}

/** Reads TBSCertificate (v3 only; unique identifiers refused). */
function parseTbs(tbs: ReturnType<typeof readDer>) {
  const fields = readDerChildren(tbs.content);
  const [version, serial, algorithm, issuer, validity, subject, spki, ...rest] = fields;
  if (!isTag(version, 0xa0)) throw invalid('only version 3 certificates are supported');
  const versionNumber = unsignedInteger(expect(version.content, 0x02, 'version').content, 'version');
  if (versionNumber.length !== 1 || versionNumber[0] !== 2)
    throw invalid('only version 3 certificates are supported');
  if (!isTag(serial, 0x02)) throw invalid('missing serialNumber');
  const serialBytes = unsignedInteger(serial.content, 'serialNumber');
  if (serial.content.length > 20) throw invalid('serialNumber longer than 20 bytes');
  if (serialBytes.length === 1 && serialBytes[0] === 0) throw invalid('serialNumber is zero');
  if (!isTag(algorithm, 0x30) || !isTag(issuer, 0x30) || !isTag(validity, 0x30) || !isTag(subject, 0x30))
    throw invalid('malformed TBSCertificate');
  if (!isTag(spki, 0x30)) throw invalid('missing subjectPublicKeyInfo');
  const [notBefore, notAfter, extraTime] = readDerChildren(validity.content);
  if (extraTime) throw invalid('validity: trailing field');
  const [extensions, extra] = rest;
  if (extensions && extensions.tag !== 0xa3) {
    throw invalid(
      extensions.tag === 0x81 || extensions.tag === 0x82
        ? 'unique identifiers are not supported'
        : 'unexpected field in TBSCertificate',
    );
  }
  if (extra) throw invalid('unexpected field after extensions');
  const ext = parseExtensions(extensions);
  return {
    serial: serialBytes.slice(),
    algorithm,
    issuer: parseName(issuer, 'issuer'),
    notBefore: parseTime(notBefore, 'notBefore'),
    notAfter: parseTime(notAfter, 'notAfter'),
    subject: parseName(subject, 'subject'),
    publicKey: parseCertificateSpki(spki),
    ext,
  };
}

/** Parses a DER certificate strictly; any defect is a CryptoError 'CRYPTO_CERTIFICATE_INVALID'. */
export function parseCertificate(derBytes: Uint8Array): Certificate {
  if (!(derBytes instanceof Uint8Array)) throw invalid('expected bytes');
  const bytes = derBytes.slice(); // our own copy: the caller may reuse its buffer
  try {
    const outer = expect(bytes, 0x30, 'Certificate', false);
    if (outer.end !== bytes.length) throw invalid('trailing bytes after the certificate');
    const [tbs, algorithm, signature, extra] = readDerChildren(outer.content);
    if (!isTag(tbs, 0x30) || !isTag(algorithm, 0x30) || !isTag(signature, 0x03) || extra)
      throw invalid('expected SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }');
    const fields = parseTbs(tbs);
    const suite = signatureAlgorithmOfId(algorithm);
    if (!equalBytes(fields.algorithm.tlv, algorithm.tlv))
      throw invalid('signatureAlgorithm differs from tbsCertificate.signature');
    if (signature.content[0] !== 0) throw invalid('signatureValue has unused bits');
    const value = signature.content.subarray(1);
    const raw = suite.derSignature ? signatureFromDer(value) : value.slice();
    if (!suite.derSignature && raw.length !== getSuite(suite.suite).signatureLength)
      throw invalid(`${suite.suite} signature has the wrong length`, { length: raw.length });
    const { ext } = fields;
    return {
      serial: fields.serial,
      issuer: fields.issuer,
      subject: fields.subject,
      notBefore: fields.notBefore,
      notAfter: fields.notAfter,
      publicKey: fields.publicKey,
      isCA: ext.isCA,
      ...(ext.subjectKeyIdentifier ? { subjectKeyIdentifier: ext.subjectKeyIdentifier } : {}),
      ...(ext.pathLenConstraint !== undefined ? { pathLenConstraint: ext.pathLenConstraint } : {}),
      der: bytes,
      tbs: tbs.tlv,
      signatureSuite: suite.suite,
      signature: raw,
    };
  } catch (error) {
    if (error instanceof CryptoError && error.code === 'CRYPTO_CERTIFICATE_INVALID') throw error;
    // der.ts and the suites throw their own codes (malformed DER, bad DER signature): one code out.
    const reason = error instanceof Error ? error.message : String(error);
    throw invalid(reason, { cause: error instanceof CryptoError ? error.code : 'error' });
  }
}

/**
 * Whether `cert.tbs` carries a valid signature by `issuerPublicKey` (through the suite's own
 * verify). Never throws: a wrong suite, a malformed key or signature is just false. Trust the
 * other fields only when `cert` came from parseCertificate, which derives them from `tbs`.
 *
 * SM2 uses the default user ID 1234567812345678 (GM/T 0015). OpenSSL 3.0 signs and checks
 * certificates with an empty ID unless given `-sigopt`/`-vfyopt distid:1234567812345678`;
 * pass `{ sm2UserId: '' }` to accept such certificates.
 */
export function verifyCertificateSignature(
  cert: Certificate,
  issuerPublicKey: PublicKey,
  options?: Pick<SignatureOptions, 'sm2UserId'>,
): boolean {
  try {
    const signature = { suite: cert.signatureSuite, bytes: cert.signature };
    return verify(issuerPublicKey, cert.tbs, signature, options);
  } catch {
    return false;
  }
}

export function certificateToPem(derBytes: Uint8Array): string {
  return toPem('CERTIFICATE', derBytes);
}

/** The DER of the first CERTIFICATE block; CRYPTO_INVALID_PEM if there is none or its base64 is not canonical. */
export function certificateFromPem(pem: string): Uint8Array {
  if (typeof pem !== 'string')
    throw new CryptoError('CRYPTO_INVALID_PEM', 'invalid PEM: expected a string', {});
  const body = fromPem(pem, 'CERTIFICATE');
  const match = /-----BEGIN CERTIFICATE-----([^-]*)-----END/.exec(pem);
  const text = (match?.[1] ?? '').replace(/\s+/g, '');
  if (body.length === 0 || Buffer.from(body).toString('base64') !== text)
    throw new CryptoError('CRYPTO_INVALID_PEM', 'invalid PEM certificate: malformed base64', {});
  return body;
}

/** Lowercase hex of the serial's minimal positive big-endian bytes (e.g. for CRLs). */
export function serialHex(cert: Pick<CertificateTemplate, 'serial'>): string {
  const hex = bytesToHex(cert.serial).replace(/^(00)+/, '');
  return hex === '' ? '00' : hex;
}
