import { type PublicKey, publicKeyFromHex, type SuiteId } from '@pujiang/sdk/browser';

/**
 * Reads what the console shows of an X.509 certificate (subject, issuer, serial, validity,
 * key) in the browser. The SDK's browser entry has no X.509 (the Node crypto entry parses and
 * verifies certificates); this reads the DER structure only and checks no signature: the
 * certificates it reads came from proven state or the pinned genesis.
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

interface Der {
  readonly tag: number;
  readonly content: Uint8Array;
  readonly end: number;
}

class DerError extends Error {}

function readDer(bytes: Uint8Array, offset: number): Der {
  const tag = bytes[offset];
  let length = bytes[offset + 1];
  if (tag === undefined || length === undefined) throw new DerError('truncated DER');
  let start = offset + 2;
  if (length & 0x80) {
    const n = length & 0x7f;
    if (n < 1 || n > 3) throw new DerError('unsupported DER length');
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + (bytes[start + i] ?? 0);
    start += n;
  }
  const end = start + length;
  if (end > bytes.length) throw new DerError('truncated DER');
  return { tag, content: bytes.subarray(start, end), end };
}

function children(content: Uint8Array): Der[] {
  const out: Der[] = [];
  for (let offset = 0; offset < content.length; ) {
    const element = readDer(content, offset);
    out.push(element);
    offset = element.end;
  }
  return out;
}

const hexOf = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

const NAME_FIELDS: Record<string, string> = {
  '550406': 'C',
  '55040a': 'O',
  '55040b': 'OU',
  '550403': 'CN',
};

function readName(element: Der): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rdn of children(element.content))
    for (const atv of children(rdn.content)) {
      const [type, value] = children(atv.content);
      if (!type || !value) continue;
      const field = NAME_FIELDS[hexOf(type.content)] ?? hexOf(type.content);
      out[field] = new TextDecoder().decode(value.content);
    }
  return out;
}

function readTime(element: Der | undefined): number {
  const text = element ? new TextDecoder().decode(element.content) : '';
  const m =
    element?.tag === 0x17
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text)
      : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) throw new DerError('malformed time');
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const year = element?.tag === 0x17 ? (y >= 50 ? 1900 + y : 2000 + y) : y;
  return Date.UTC(year, mo - 1, d, h, mi, s);
}

/** Key algorithm OIDs (hex) whose BIT STRING is the key as the chain encodes it. */
const RAW_KEY_SUITES: Record<string, SuiteId> = {
  '2b6570': 'ed25519',
  '608648016503040311': 'ml-dsa-44',
  '608648016503040312': 'ml-dsa-65',
};
const EC_CURVE_SUITES: Record<string, SuiteId> = { '2a811ccf5501822d': 'sm2', '2b8104000a': 'secp256k1' };

function readKey(spki: Der): PublicKey | undefined {
  const [algorithm, bits] = children(spki.content);
  if (!algorithm || bits?.tag !== 0x03) return undefined;
  const [oid, parameter] = children(algorithm.content);
  const key = bits.content.subarray(1);
  const suite =
    RAW_KEY_SUITES[hexOf(oid?.content ?? new Uint8Array())] ??
    (parameter?.tag === 0x06 ? EC_CURVE_SUITES[hexOf(parameter.content)] : undefined);
  if (!suite) return undefined;
  try {
    return publicKeyFromHex(suite, hexOf(key));
  } catch {
    return undefined; // a key form this suite's hex does not take (an uncompressed point, a hybrid)
  }
}

/** The DER bytes of the first CERTIFICATE block of a PEM text. */
export function pemToDer(pem: string): Uint8Array {
  const m = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----/.exec(pem);
  if (!m) throw new DerError('not a PEM certificate');
  const text = atob(m[1]!.replace(/\s+/g, ''));
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

/** The fields of a certificate (PEM text or DER bytes); throws on a structure that is not one. */
export function readCertificate(input: string | Uint8Array): CertificateSummary {
  const der = typeof input === 'string' ? pemToDer(input) : input;
  const [tbs] = children(readDer(der, 0).content);
  if (tbs?.tag !== 0x30) throw new DerError('not a certificate');
  const fields = children(tbs.content);
  // An explicit version [0] comes first when present.
  const at = fields[0]?.tag === 0xa0 ? 1 : 0;
  const [serial, , issuer, validity, subject, spki] = fields.slice(at);
  if (serial?.tag !== 0x02 || !issuer || !validity || !subject || !spki)
    throw new DerError('not a certificate');
  const [notBefore, notAfter] = children(validity.content);
  const publicKey = readKey(spki);
  // A leading zero is the INTEGER's sign byte, not part of the serial.
  const serialBytes =
    serial.content[0] === 0 && serial.content.length > 1 ? serial.content.subarray(1) : serial.content;
  return {
    serial: hexOf(serialBytes),
    subject: readName(subject),
    issuer: readName(issuer),
    notBefore: readTime(notBefore),
    notAfter: readTime(notAfter),
    ...(publicKey ? { publicKey } : {}),
  };
}

/** How long certificates are flagged before they expire. */
export const EXPIRY_WARNING_MS = 30 * 86_400_000;

export type ExpiryState = 'expired' | 'expiring' | 'valid';

export function expiryState(notAfter: number, now = Date.now()): ExpiryState {
  return notAfter <= now ? 'expired' : notAfter - now <= EXPIRY_WARNING_MS ? 'expiring' : 'valid';
}
