import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate, type Name } from '@peculiar/asn1-x509';
import { type PublicKey, publicKeyFromHex, type SuiteId } from '@pujiang/sdk/browser';

/**
 * Reads what the console shows of an X.509 certificate (subject, issuer, serial, validity,
 * key) in the browser, with @peculiar/asn1-x509. The SDK's browser entry has no X.509 (the
 * Node crypto entry parses and verifies certificates); no signature is checked here: the
 * certificates come from proven state or the pinned genesis (CA fingerprints are recomputed).
 */
export interface CertificateSummary {
  readonly serial: string;
  readonly subject: Readonly<Record<string, string>>;
  readonly issuer: Readonly<Record<string, string>>;
  readonly notBefore: number;
  readonly notAfter: number;
  /** The subject's key, for the suites whose key form the chain uses as is; undefined otherwise. */
  readonly publicKey?: PublicKey;
}

const hexOf = (bytes: ArrayBuffer | Uint8Array) =>
  Array.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join('');

const NAME_FIELDS: Record<string, string> = {
  '2.5.4.6': 'C',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.3': 'CN',
};

function readName(name: Name): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rdn of name)
    for (const atv of rdn) out[NAME_FIELDS[atv.type] ?? atv.type] = atv.value.toString();
  return out;
}

/** Key algorithms whose BIT STRING is the key as the chain encodes it. */
const RAW_KEY_SUITES: Record<string, SuiteId> = {
  '1.3.101.112': 'ed25519',
  '2.16.840.1.101.3.4.3.17': 'ml-dsa-44',
  '2.16.840.1.101.3.4.3.18': 'ml-dsa-65',
};
/** EC keys by their curve (the algorithm's parameters, an OID, as DER hex). */
const EC_CURVE_SUITES: Record<string, SuiteId> = {
  '06082a811ccf5501822d': 'sm2',
  '06052b8104000a': 'secp256k1',
};

function readKey(spki: Certificate['tbsCertificate']['subjectPublicKeyInfo']): PublicKey | undefined {
  const { algorithm, parameters } = spki.algorithm;
  const suite = RAW_KEY_SUITES[algorithm] ?? (parameters ? EC_CURVE_SUITES[hexOf(parameters)] : undefined);
  if (!suite) return undefined;
  try {
    return publicKeyFromHex(suite, hexOf(spki.subjectPublicKey));
  } catch {
    return undefined; // a key form this suite's hex does not take (an uncompressed point, a hybrid)
  }
}

/** The DER bytes of the first CERTIFICATE block of a PEM text. */
export function pemToDer(pem: string): Uint8Array {
  const m = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----/.exec(pem);
  if (!m) throw new Error('not a PEM certificate');
  const text = atob(m[1]!.replace(/\s+/g, ''));
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

/** The fields of a certificate (PEM text or DER bytes); throws on a structure that is not one. */
export function readCertificate(input: string | Uint8Array): CertificateSummary {
  const der = typeof input === 'string' ? pemToDer(input) : input;
  const tbs = AsnConvert.parse(der, Certificate).tbsCertificate;
  const serial = new Uint8Array(tbs.serialNumber);
  const publicKey = readKey(tbs.subjectPublicKeyInfo);
  return {
    // A leading zero is the INTEGER's sign byte, not part of the serial.
    serial: hexOf(serial[0] === 0 && serial.length > 1 ? serial.subarray(1) : serial),
    subject: readName(tbs.subject),
    issuer: readName(tbs.issuer),
    notBefore: tbs.validity.notBefore.getTime().getTime(),
    notAfter: tbs.validity.notAfter.getTime().getTime(),
    ...(publicKey ? { publicKey } : {}),
  };
}

/** How long certificates are flagged before they expire. */
export const EXPIRY_WARNING_MS = 30 * 86_400_000;

export type ExpiryState = 'expired' | 'expiring' | 'valid';

export function expiryState(notAfter: number, now = Date.now()): ExpiryState {
  return notAfter <= now ? 'expired' : notAfter - now <= EXPIRY_WARNING_MS ? 'expiring' : 'valid';
}
