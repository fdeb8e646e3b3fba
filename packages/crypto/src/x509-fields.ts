import { equalBytes } from '@pujiang/types';
import { type DerElement, der, derTlv, oidDotted, oidHex, readDer, readDerChildren } from './der.js';
import { CryptoError } from './errors.js';
import type { PublicKey } from './keys.js';
import { decodeSpki, encodeSpki } from './pem.js';
import { getSuite } from './suites/registry.js';
import type { SuiteId } from './suites/suite.js';

/**
 * The pieces of an X.509 certificate (RFC 5280) that x509.ts assembles: names, times,
 * extensions, algorithm identifiers and keys. Written on the strict DER reader of der.ts
 * rather than an ASN.1 library: @peculiar/asn1-x509 was tried and accepts BER it re-encodes
 * unchanged (BOOLEAN 0x01, non-minimal INTEGERs) and mangles the 128-bit arcs of 2.25 OIDs.
 * Every reader here takes one expected tag and refuses anything else.
 */

export function invalid(reason: string, details: Record<string, unknown> = {}): CryptoError {
  return new CryptoError('CRYPTO_CERTIFICATE_INVALID', `invalid certificate: ${reason}`, details);
}

export function badInput(reason: string): CryptoError {
  return new CryptoError('CRYPTO_INVALID_INPUT', `cannot issue certificate: ${reason}`, {});
}

/** One element of the given tag; with `whole`, it must span all of `bytes`. */
export function expect(bytes: Uint8Array, tag: number, what: string, whole = true): DerElement {
  const element = readDer(bytes);
  if (element.tag !== tag) throw invalid(`${what}: expected tag 0x${tag.toString(16)}`, { tag: element.tag });
  if (whole && element.end !== bytes.length) throw invalid(`${what}: trailing bytes`);
  return element;
}

export function isTag(element: DerElement | undefined, tag: number): element is DerElement {
  return element?.tag === tag;
}

/** A DER INTEGER's content that must be non-negative and minimally encoded; returns its magnitude. */
export function unsignedInteger(content: Uint8Array, what: string): Uint8Array {
  if (content.length === 0) throw invalid(`${what}: empty INTEGER`);
  if ((content[0]! & 0x80) !== 0) throw invalid(`${what} is negative`);
  if (content.length > 1 && content[0] === 0 && (content[1]! & 0x80) === 0)
    throw invalid(`${what}: non-minimal INTEGER`);
  return content[0] === 0 && content.length > 1 ? content.subarray(1) : content;
}

const TRUE = derTlv(0x01, Uint8Array.of(0xff));

/** DER BOOLEAN that may only be TRUE: a FALSE there would be a DEFAULT value, which DER omits. */
function requireTrue(element: DerElement, what: string): void {
  if (!equalBytes(element.tlv, TRUE)) throw invalid(`${what}: a BOOLEAN here must be DER TRUE (0xff)`);
}

// ---- Algorithms ----------------------------------------------------------------------

/** How an issuer suite signs: its AlgorithmIdentifier (parameters absent) and signature form. */
interface SignatureAlgorithm {
  readonly suite: SuiteId;
  readonly algorithmId: Uint8Array;
  /** ECDSA-style suites put SEQUENCE { r, s } in the BIT STRING; the others their raw bytes. */
  readonly derSignature: boolean;
}

const signatureAlgorithm = (suite: SuiteId, oid: string, derSignature: boolean): SignatureAlgorithm => ({
  suite,
  algorithmId: der.sequence(der.oid(oidHex(oid))),
  derSignature,
});

const SIGNATURE_ALGORITHMS: readonly SignatureAlgorithm[] = [
  signatureAlgorithm('ed25519', '1.3.101.112', false), // RFC 8410
  signatureAlgorithm('sm2', '1.2.156.10197.1.501', true), // SM3withSM2, GB/T 35276; default user ID
  signatureAlgorithm('secp256k1', '1.2.840.10045.4.3.2', true), // ecdsa-with-SHA256, RFC 5758
  signatureAlgorithm('ml-dsa-44', '2.16.840.1.101.3.4.3.17', false), // RFC 9881, pure, empty context
  signatureAlgorithm('ml-dsa-65', '2.16.840.1.101.3.4.3.18', false),
];

export function signatureAlgorithmOfSuite(suite: SuiteId): SignatureAlgorithm {
  const found = SIGNATURE_ALGORITHMS.find((a) => a.suite === suite);
  if (!found) {
    throw new CryptoError('CRYPTO_UNSUPPORTED_FORMAT', `${suite} has no X.509 signature algorithm`, {
      suite,
      supported: SIGNATURE_ALGORITHMS.map((a) => a.suite),
    });
  }
  return found;
}

/** The suite whose exact AlgorithmIdentifier bytes these are (parameters must be absent). */
export function signatureAlgorithmOfId(algorithm: DerElement): SignatureAlgorithm {
  const found = SIGNATURE_ALGORITHMS.find((a) => equalBytes(a.algorithmId, algorithm.tlv));
  if (found) return found;
  const oid = readDerChildren(algorithm.content)[0];
  const name = oid?.tag === 0x06 ? oidDotted(oid.content) : 'malformed';
  throw invalid(`unsupported signature algorithm ${name}`);
}

/**
 * The hybrid suites have no standard SubjectPublicKeyInfo. No standard exists; the IETF
 * composite-signature drafts define a different construction (ML-DSA part first, their own
 * message prefix and prehash, no SM2 pairing), so reusing one of their OIDs would be wrong.
 * We use OIDs under the ITU-T X.667 UUID arc 2.25, which needs no registration: each is the
 * decimal of a random (v4) UUID generated once for this purpose and fixed here forever.
 * The BIT STRING holds the suite's raw key: classical part || ML-DSA part.
 */
export const HYBRID_KEY_OIDS: Readonly<Partial<Record<SuiteId, string>>> = {
  // UUID 92a013cf-8ac1-4510-a155-605b504f85f1
  'sm2+ml-dsa-65': '2.25.194898456690917979887568417133020808689',
  // UUID af1ca892-811b-40a4-97ba-78196fb05afa
  'ed25519+ml-dsa-44': '2.25.232763702626480906026726824936823872250',
};

const hybridAlgorithmIds = Object.entries(HYBRID_KEY_OIDS).map(([suite, oid]) => ({
  suite: suite as SuiteId,
  algorithmId: der.sequence(der.oid(oidHex(oid))),
}));

/** Throws a CryptoError for a key of the wrong length or not on its curve (each hybrid part too). */
function checkPublicKey(key: PublicKey): void {
  const suite = getSuite(key?.suite); // CRYPTO_UNKNOWN_SUITE for anything that is not ours
  const parts = suite.id.split('+');
  if (!(key.bytes instanceof Uint8Array) || key.bytes.length !== suite.publicKeyLength) {
    throw new CryptoError(
      'CRYPTO_INVALID_PUBLIC_KEY',
      `${key.suite} public key must be ${suite.publicKeyLength} bytes`,
    );
  }
  let offset = 0;
  for (const id of parts) {
    const part = getSuite(id);
    // verify() refuses a malformed key with a CryptoError before looking at the signature.
    part.verify(
      key.bytes.subarray(offset, offset + part.publicKeyLength),
      new Uint8Array(),
      new Uint8Array(),
    );
    offset += part.publicKeyLength;
  }
}

/** SubjectPublicKeyInfo for any suite: pem.ts's standard forms, or the hybrid form above. */
export function certificateSpki(key: PublicKey): Uint8Array {
  checkPublicKey(key);
  const hybrid = hybridAlgorithmIds.find((h) => h.suite === key.suite);
  return hybrid ? der.sequence(hybrid.algorithmId, der.bitString(key.bytes)) : encodeSpki(key);
}

/** Reads a SubjectPublicKeyInfo, accepting only the exact encoding certificateSpki writes. */
export function parseCertificateSpki(spki: DerElement): PublicKey {
  const [algorithm, bits] = readDerChildren(spki.content);
  if (!isTag(algorithm, 0x30) || !isTag(bits, 0x03)) throw invalid('malformed SubjectPublicKeyInfo');
  const hybrid = hybridAlgorithmIds.find((h) => equalBytes(h.algorithmId, algorithm.tlv));
  let key: PublicKey;
  try {
    key = hybrid ? { suite: hybrid.suite, bytes: bits.content.slice(1) } : decodeSpki(spki.tlv);
    if (!equalBytes(certificateSpki(key), spki.tlv)) throw invalid('non-canonical SubjectPublicKeyInfo');
  } catch (error) {
    if (error instanceof CryptoError && error.code === 'CRYPTO_CERTIFICATE_INVALID') throw error;
    const oid = readDerChildren(algorithm.content)[0];
    throw invalid(`unsupported or malformed subject public key`, {
      algorithm: oid?.tag === 0x06 ? oidDotted(oid.content) : 'malformed',
      cause: error instanceof Error ? error.message : String(error),
    });
  }
  return key;
}

// ---- Names ---------------------------------------------------------------------------

export interface DistinguishedName {
  readonly commonName: string;
  readonly organization?: string;
  readonly organizationalUnit?: string;
  readonly country?: string;
}

type NameField = keyof DistinguishedName;
/** The attributes we write, in this order (C, O, OU, CN), and the only ones we read. */
const ATTRIBUTES: readonly { field: NameField; oid: string; tag: number }[] = [
  { field: 'country', oid: oidHex('2.5.4.6'), tag: 0x13 }, // PrintableString SIZE(2)
  { field: 'organization', oid: oidHex('2.5.4.10'), tag: 0x0c },
  { field: 'organizationalUnit', oid: oidHex('2.5.4.11'), tag: 0x0c },
  { field: 'commonName', oid: oidHex('2.5.4.3'), tag: 0x0c },
];
const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function encodeName(name: DistinguishedName, what: string): Uint8Array {
  if (typeof name?.commonName !== 'string' || name.commonName === '')
    throw badInput(`${what} needs a commonName`);
  const rdns: Uint8Array[] = [];
  for (const { field, oid, tag } of ATTRIBUTES) {
    const value = name[field];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value === '' || [...value].length > 64)
      throw badInput(`${what} ${field} must be 1 to 64 characters`);
    if (field === 'country' && (value.length !== 2 || !PRINTABLE.test(value)))
      throw badInput(`${what} country must be a two-letter code`);
    const bytes = tag === 0x13 ? Buffer.from(value, 'latin1') : Buffer.from(value, 'utf8');
    rdns.push(derTlv(0x31, der.sequence(der.oid(oid), derTlv(tag, bytes))));
  }
  return der.sequence(...rdns);
}

/**
 * Reads a Name made of single-valued RDNs of C, O, OU and CN (each at most once, any order,
 * UTF8String or PrintableString). Other attributes are refused rather than dropped, so the
 * returned value always describes the whole name.
 */
export function parseName(name: DerElement, what: string): DistinguishedName {
  const out: Partial<Record<NameField, string>> = {};
  for (const rdn of readDerChildren(name.content)) {
    const atvs = rdn.tag === 0x31 ? readDerChildren(rdn.content) : [];
    const [atv] = atvs;
    if (atvs.length !== 1 || !isTag(atv, 0x30))
      throw invalid(`${what}: each RDN must hold exactly one attribute`);
    const [type, value, extra] = readDerChildren(atv.content);
    if (!isTag(type, 0x06) || !value || extra) throw invalid(`${what}: malformed attribute`);
    const attribute = ATTRIBUTES.find((a) => a.oid === Buffer.from(type.content).toString('hex'));
    if (!attribute) throw invalid(`${what}: unsupported name attribute ${oidDotted(type.content)}`);
    if (out[attribute.field] !== undefined) throw invalid(`${what}: duplicate ${attribute.field}`);
    let text: string;
    if (value.tag === 0x13) {
      text = Buffer.from(value.content).toString('latin1');
      if (!PRINTABLE.test(text)) throw invalid(`${what}: ${attribute.field} is not a valid PrintableString`);
    } else if (value.tag === 0x0c) {
      try {
        text = utf8.decode(value.content);
      } catch {
        throw invalid(`${what}: ${attribute.field} is not valid UTF-8`);
      }
    } else {
      throw invalid(`${what}: ${attribute.field} must be a UTF8String or PrintableString`);
    }
    if (text === '') throw invalid(`${what}: empty ${attribute.field}`);
    if (attribute.field === 'country' && text.length !== 2)
      throw invalid(`${what}: country must be 2 characters`);
    out[attribute.field] = text;
  }
  if (out.commonName === undefined) throw invalid(`${what} has no commonName`);
  return out as DistinguishedName;
}

// ---- Times ---------------------------------------------------------------------------

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** RFC 5280 4.1.2.5: UTCTime for 1950-2049, GeneralizedTime otherwise; whole seconds, Z. */
export function encodeTime(ms: number, what: string): Uint8Array {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) throw badInput(`${what} must be a finite number of ms`);
  const d = new Date(Math.floor(ms / 1000) * 1000);
  const year = d.getUTCFullYear();
  if (Number.isNaN(year) || year < 0 || year > 9999) throw badInput(`${what} must fall in years 0000-9999`);
  const rest = [d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()]
    .map((n) => pad(n, 2))
    .join('');
  const utc = year >= 1950 && year <= 2049;
  const text = `${utc ? pad(year % 100, 2) : pad(year, 4)}${rest}Z`;
  return derTlv(utc ? 0x17 : 0x18, Buffer.from(text, 'latin1'));
}

/** Reads a Time in exactly the form encodeTime writes (so each instant has one encoding). */
export function parseTime(element: DerElement | undefined, what: string): number {
  const text = element ? Buffer.from(element.content).toString('latin1') : '';
  const utc = element?.tag === 0x17;
  const match = (
    utc ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/ : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/
  ).exec(text);
  if (!match || (element?.tag !== 0x17 && element?.tag !== 0x18))
    throw invalid(`${what}: expected UTCTime YYMMDDHHMMSSZ or GeneralizedTime YYYYMMDDHHMMSSZ`);
  const [y, mo, d, h, mi, s] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  const year = utc ? (y >= 50 ? 1900 + y : 2000 + y) : y;
  if (!utc && year >= 1950 && year <= 2049)
    throw invalid(`${what}: GeneralizedTime used for a year UTCTime holds`);
  const date = new Date(0);
  date.setUTCFullYear(year, mo - 1, d);
  date.setUTCHours(h, mi, s, 0);
  // Date normalises out-of-range fields (month 13, Feb 30, second 60); refuse them instead.
  const back = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), date.getUTCHours()];
  if (back.join() !== [year, mo, d, h].join() || mi > 59 || s > 59)
    throw invalid(`${what}: not a valid date`);
  return date.getTime();
}

// ---- Extensions ----------------------------------------------------------------------

const EXT = {
  basicConstraints: oidHex('2.5.29.19'),
  keyUsage: oidHex('2.5.29.15'),
  subjectKeyIdentifier: oidHex('2.5.29.14'),
} as const;

/** keyUsage keyCertSign (RFC 5280 4.2.1.3: bit 5, counting from the first bit as 0). */
const KU_KEY_CERT_SIGN = 1 << 5;

function extension(oid: string, critical: boolean, value: Uint8Array): Uint8Array {
  return critical
    ? der.sequence(der.oid(oid), TRUE, der.octetString(value))
    : der.sequence(der.oid(oid), der.octetString(value));
}

/** [3] { basicConstraints (critical), keyUsage (critical), subjectKeyIdentifier? }. */
export function encodeExtensions(isCA: boolean, subjectKeyIdentifier: Uint8Array | undefined): Uint8Array {
  // keyUsage is a named BIT STRING: DER drops trailing zero bits, hence the unused-bit counts.
  // CA: keyCertSign (bit 5) | cRLSign (bit 6) = 0x06, 1 unused; leaf: digitalSignature (bit 0).
  const keyUsage = isCA ? derTlv(0x03, Uint8Array.of(1, 0x06)) : derTlv(0x03, Uint8Array.of(7, 0x80));
  const items = [
    extension(EXT.basicConstraints, true, der.sequence(...(isCA ? [TRUE] : []))),
    extension(EXT.keyUsage, true, keyUsage),
  ];
  if (subjectKeyIdentifier !== undefined) {
    if (!(subjectKeyIdentifier instanceof Uint8Array) || subjectKeyIdentifier.length === 0)
      throw badInput('subjectKeyIdentifier must be non-empty bytes');
    items.push(extension(EXT.subjectKeyIdentifier, false, der.octetString(subjectKeyIdentifier)));
  }
  return der.contextConstructed(3, der.sequence(...items));
}

export interface ParsedExtensions {
  isCA: boolean;
  pathLenConstraint?: number;
  subjectKeyIdentifier?: Uint8Array;
}

function parseBasicConstraints(value: Uint8Array, out: ParsedExtensions): void {
  const items = readDerChildren(expect(value, 0x30, 'basicConstraints').content);
  let next = items.shift();
  if (next?.tag === 0x01) {
    requireTrue(next, 'basicConstraints cA');
    out.isCA = true;
    next = items.shift();
  }
  if (next?.tag === 0x02) {
    const magnitude = unsignedInteger(next.content, 'pathLenConstraint');
    if (magnitude.length > 4) throw invalid('pathLenConstraint too large');
    if (!out.isCA) throw invalid('pathLenConstraint without cA');
    out.pathLenConstraint = Number.parseInt(Buffer.from(magnitude).toString('hex'), 16);
    next = items.shift();
  }
  if (next) throw invalid('basicConstraints: unexpected field');
}

function parseKeyUsage(value: Uint8Array): number {
  const bits = expect(value, 0x03, 'keyUsage').content;
  const unused = bits[0]!;
  const last = bits[bits.length - 1]!;
  // 1-2 bytes of bits, at least one set, no trailing zero bits (DER), padding bits zero.
  if (
    bits.length < 2 ||
    bits.length > 3 ||
    unused > 7 ||
    (last & ((1 << unused) - 1)) !== 0 ||
    (last & (1 << unused)) === 0
  )
    throw invalid('keyUsage: not a DER named BIT STRING');
  let mask = 0;
  for (let i = 0; i < (bits.length - 1) * 8; i++) if (bits[1 + (i >> 3)]! & (0x80 >> (i & 7))) mask |= 1 << i;
  return mask;
}

/**
 * Reads [3] Extensions. basicConstraints, keyUsage and subjectKeyIdentifier are understood;
 * any other critical extension makes the certificate invalid (RFC 5280 4.2), other
 * non-critical ones are ignored. keyUsage must agree with cA so `isCA` never misleads.
 */
export function parseExtensions(element: DerElement | undefined): ParsedExtensions {
  const out: ParsedExtensions = { isCA: false };
  if (!element) return out;
  const list = readDerChildren(expect(element.content, 0x30, 'extensions').content);
  if (list.length === 0) throw invalid('empty extensions');
  const seen = new Set<string>();
  let keyUsage: number | undefined;
  for (const ext of list) {
    const parts = ext.tag === 0x30 ? readDerChildren(ext.content) : [];
    // Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }
    const [oid, second, third] = parts;
    const critical = parts.length === 3;
    const value = critical ? third : second;
    if (!isTag(oid, 0x06) || !isTag(value, 0x04) || parts.length > 3) throw invalid('malformed extension');
    if (critical && second) requireTrue(second, `extension ${oidDotted(oid.content)} critical flag`);
    const id = Buffer.from(oid.content).toString('hex');
    if (seen.has(id)) throw invalid(`duplicate extension ${oidDotted(oid.content)}`);
    seen.add(id);
    if (id === EXT.basicConstraints) parseBasicConstraints(value.content, out);
    else if (id === EXT.keyUsage) keyUsage = parseKeyUsage(value.content);
    else if (id === EXT.subjectKeyIdentifier) {
      const ski = expect(value.content, 0x04, 'subjectKeyIdentifier').content;
      if (ski.length === 0) throw invalid('empty subjectKeyIdentifier');
      out.subjectKeyIdentifier = ski.slice();
    } else if (critical) throw invalid(`unsupported critical extension ${oidDotted(oid.content)}`);
  }
  if (keyUsage !== undefined) {
    if ((keyUsage & KU_KEY_CERT_SIGN) !== 0 && !out.isCA)
      throw invalid('keyCertSign without basicConstraints cA');
    if ((keyUsage & KU_KEY_CERT_SIGN) === 0 && out.isCA)
      throw invalid('CA certificate whose keyUsage lacks keyCertSign');
  }
  return out;
}
