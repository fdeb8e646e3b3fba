import { secp256k1 as k1 } from '@noble/curves/secp256k1.js';
import { concatBytes, equalBytes } from '@pujiang/types';
import { type DerElement, der, readDer, readDerChildren } from './der.js';
import { CryptoError } from './errors.js';
import type { PublicKey, SecretKey } from './keys.js';
import { getSuite } from './suites/registry.js';
import type { SuiteId } from './suites/suite.js';

/**
 * PEM (SPKI / PKCS#8) and JWK import and export, for the suites that have a standard form:
 * Ed25519 (RFC 8410), SM2 (GB/T 35276 OIDs), secp256k1 (SEC 1), ML-DSA (RFC 9881, private
 * keys in the 32-byte seed form). The hybrid suites have no standard key format; use hex.
 */
const OID = {
  ecPublicKey: '2a8648ce3d0201',
  sm2: '2a811ccf5501822d',
  secp256k1: '2b8104000a',
  ed25519: '2b6570',
  mlDsa44: '608648016503040311',
  mlDsa65: '608648016503040312',
} as const;

function unsupported(suite: SuiteId, format: string): CryptoError {
  return new CryptoError(
    'CRYPTO_UNSUPPORTED_FORMAT',
    `${suite} keys have no standard ${format} form; use hex`,
    {
      suite,
      format,
    },
  );
}

function badPem(reason: string, details: Record<string, unknown> = {}): CryptoError {
  return new CryptoError('CRYPTO_INVALID_PEM', `invalid PEM key: ${reason}`, details);
}

/** PEM armour (internal; x509.ts uses it for CERTIFICATE). */
export function toPem(label: string, body: Uint8Array): string {
  const b64 = Buffer.from(body).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** The first `label` block's body (internal; x509.ts uses it for CERTIFICATE). */
export function fromPem(pem: string, label: string): Uint8Array {
  const match = new RegExp(`-----BEGIN ${label}-----([A-Za-z0-9+/=\\s]+)-----END ${label}-----`).exec(pem);
  if (!match) throw badPem(`expected a ${label} block`);
  return new Uint8Array(Buffer.from(match[1]!.replace(/\s+/g, ''), 'base64'));
}

function uncompressedK1(publicKey: Uint8Array): Uint8Array {
  return k1.Point.fromBytes(publicKey).toBytes(false);
}

function ecAlgorithm(curveOid: string): Uint8Array {
  return der.sequence(der.oid(OID.ecPublicKey), der.oid(curveOid));
}

/**
 * SubjectPublicKeyInfo DER for a public key of a suite with a standard form. Internal to the
 * package (x509.ts embeds it in certificates); not exported from the index.
 */
export function encodeSpki(key: PublicKey): Uint8Array {
  switch (key.suite) {
    case 'ed25519':
      return der.sequence(der.sequence(der.oid(OID.ed25519)), der.bitString(key.bytes));
    case 'sm2':
      return der.sequence(ecAlgorithm(OID.sm2), der.bitString(key.bytes));
    case 'secp256k1':
      return der.sequence(ecAlgorithm(OID.secp256k1), der.bitString(uncompressedK1(key.bytes)));
    case 'ml-dsa-44':
      return der.sequence(der.sequence(der.oid(OID.mlDsa44)), der.bitString(key.bytes));
    case 'ml-dsa-65':
      return der.sequence(der.sequence(der.oid(OID.mlDsa65)), der.bitString(key.bytes));
    default:
      throw unsupported(key.suite, 'PEM');
  }
}

/** PKCS#8 PrivateKeyInfo DER for a secret key. */
function pkcs8(key: SecretKey): Uint8Array {
  const version0 = der.integer(Uint8Array.of(0));
  const ecPrivateKey = (d: Uint8Array) =>
    der.octetString(der.sequence(der.integer(Uint8Array.of(1)), der.octetString(d)));
  switch (key.suite) {
    case 'ed25519':
      return der.sequence(
        version0,
        der.sequence(der.oid(OID.ed25519)),
        der.octetString(der.octetString(key.bytes)),
      );
    case 'sm2':
      return der.sequence(version0, ecAlgorithm(OID.sm2), ecPrivateKey(key.bytes));
    case 'secp256k1':
      return der.sequence(version0, ecAlgorithm(OID.secp256k1), ecPrivateKey(key.bytes));
    case 'ml-dsa-44':
    case 'ml-dsa-65': {
      const oid = key.suite === 'ml-dsa-44' ? OID.mlDsa44 : OID.mlDsa65;
      return der.sequence(
        version0,
        der.sequence(der.oid(oid)),
        der.octetString(der.contextPrimitive(0, key.bytes)),
      );
    }
    default:
      throw unsupported(key.suite, 'PEM');
  }
}

export function publicKeyToPem(key: PublicKey): string {
  getSuite(key.suite);
  return toPem('PUBLIC KEY', encodeSpki(key));
}

export function secretKeyToPem(key: SecretKey): string {
  getSuite(key.suite);
  return toPem('PRIVATE KEY', pkcs8(key));
}

const OID_SUITES: Record<string, SuiteId> = {
  [OID.ed25519]: 'ed25519',
  [OID.mlDsa44]: 'ml-dsa-44',
  [OID.mlDsa65]: 'ml-dsa-65',
};

/** AlgorithmIdentifier to suite: Ed25519 and ML-DSA by their own OID, EC keys by curve OID. */
function suiteOfAlgorithm(algorithm: DerElement): SuiteId {
  const [oid, params] = readDerChildren(algorithm.content);
  if (algorithm.tag !== 0x30 || oid?.tag !== 0x06) throw badPem('malformed AlgorithmIdentifier');
  const oidHex = Buffer.from(oid.content).toString('hex');
  if (oidHex === OID.ecPublicKey) {
    const curve = params?.tag === 0x06 ? Buffer.from(params.content).toString('hex') : '';
    if (curve === OID.sm2) return 'sm2';
    if (curve === OID.secp256k1) return 'secp256k1';
    throw badPem('unsupported elliptic curve', { curve });
  }
  const suite = OID_SUITES[oidHex];
  if (!suite) throw badPem('unsupported key algorithm', { oid: oidHex });
  return suite;
}

function parse<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof CryptoError && error.code === 'CRYPTO_INVALID_PEM') throw error;
    throw badPem(`not a valid ${what}`, { cause: error instanceof Error ? error.message : String(error) });
  }
}

function exactLength(suite: SuiteId, bytes: Uint8Array, length: number, what: string): Uint8Array {
  if (bytes.length !== length)
    throw badPem(`${suite} ${what} must be ${length} bytes`, { length: bytes.length });
  return new Uint8Array(bytes);
}

/** Reads an SPKI PEM public key of any supported suite; the suite comes from the key's OID. */
export function publicKeyFromPem(pem: string): PublicKey {
  return decodeSpki(fromPem(pem, 'PUBLIC KEY'));
}

/**
 * Reads SubjectPublicKeyInfo DER (internal, shared with x509.ts); throws CRYPTO_INVALID_PEM.
 * Tolerant of what OpenSSL writes (e.g. compressed secp256k1 points); callers wanting one
 * canonical form compare against `encodeSpki` of the result.
 */
export function decodeSpki(body: Uint8Array): PublicKey {
  return parse('SubjectPublicKeyInfo', () => {
    const outer = readDer(body);
    if (outer.tag !== 0x30 || outer.end !== body.length) throw badPem('expected one SEQUENCE');
    const [algorithm, bits] = readDerChildren(outer.content);
    if (!algorithm || bits?.tag !== 0x03 || bits.content[0] !== 0) throw badPem('expected a BIT STRING key');
    const suite = suiteOfAlgorithm(algorithm);
    const key = bits.content.subarray(1);
    if (suite === 'secp256k1') return { suite, bytes: k1.Point.fromBytes(key).toBytes(true) };
    const bytes = exactLength(suite, key, getSuite(suite).publicKeyLength, 'public key');
    getSuite(suite).verify(bytes, new Uint8Array(), new Uint8Array()); // throws on a key that is not a point
    return { suite, bytes };
  });
}

/** Reads a PKCS#8 PEM secret key (OpenSSL's output included); the suite comes from its OID. */
export function secretKeyFromPem(pem: string): SecretKey {
  const body = fromPem(pem, 'PRIVATE KEY');
  return parse('PKCS#8 PrivateKeyInfo', () => {
    const outer = readDer(body);
    if (outer.tag !== 0x30 || outer.end !== body.length) throw badPem('expected one SEQUENCE');
    const [version, algorithm, privateKey] = readDerChildren(outer.content);
    if (version?.tag !== 0x02 || !algorithm || privateKey?.tag !== 0x04)
      throw badPem('malformed PrivateKeyInfo');
    const suite = suiteOfAlgorithm(algorithm);
    const inner = readDer(privateKey.content);
    let bytes: Uint8Array;
    if (suite === 'ed25519') {
      if (inner.tag !== 0x04) throw badPem('expected CurvePrivateKey');
      bytes = exactLength(suite, inner.content, 32, 'secret key');
    } else if (suite === 'sm2' || suite === 'secp256k1') {
      // SEC 1 ECPrivateKey: SEQUENCE { INTEGER 1, OCTET STRING d, [0] params OPTIONAL, [1] key OPTIONAL }.
      const [ecVersion, d] = readDerChildren(inner.content);
      if (inner.tag !== 0x30 || ecVersion?.tag !== 0x02 || d?.tag !== 0x04)
        throw badPem('malformed ECPrivateKey');
      bytes = exactLength(suite, d.content, 32, 'secret key');
    } else {
      // RFC 9881: seed [0], or SEQUENCE { seed, expandedKey }; the seed is what we keep.
      const seed = inner.tag === 0x30 ? readDerChildren(inner.content)[0] : inner;
      if (!seed || (seed.tag !== 0x80 && seed.tag !== 0x04))
        throw badPem('ML-DSA private key without its seed');
      bytes = exactLength(suite, seed.content, 32, 'seed');
    }
    getSuite(suite).publicKeyFromSecretKey(bytes); // refuses out-of-range scalars
    return { suite, bytes };
  });
}

export interface Jwk {
  kty: string;
  crv: string;
  x: string;
  y?: string;
  d?: string;
}

const b64u = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

/** JWK (RFC 7517/8037) for Ed25519 and secp256k1; the private part only when asked. */
export function keyToJwk(publicKey: PublicKey, secretKey?: SecretKey): Jwk {
  const withD = <T extends Jwk>(jwk: T): T => (secretKey ? { ...jwk, d: b64u(secretKey.bytes) } : jwk);
  if (publicKey.suite === 'ed25519') return withD({ kty: 'OKP', crv: 'Ed25519', x: b64u(publicKey.bytes) });
  if (publicKey.suite === 'secp256k1') {
    const p = uncompressedK1(publicKey.bytes);
    return withD({ kty: 'EC', crv: 'secp256k1', x: b64u(p.subarray(1, 33)), y: b64u(p.subarray(33)) });
  }
  throw unsupported(publicKey.suite, 'JWK');
}

export function keyFromJwk(jwk: Jwk): { publicKey: PublicKey; secretKey?: SecretKey } {
  if (typeof jwk !== 'object' || jwk === null)
    throw new CryptoError('CRYPTO_INVALID_JWK', 'a JWK is a JSON object', {});
  const bytes = (s: unknown, n: number, field: string) => {
    if (s !== undefined && typeof s !== 'string') {
      throw new CryptoError('CRYPTO_INVALID_JWK', `JWK "${field}" must be a base64url string`, { field });
    }
    const b = new Uint8Array(Buffer.from(s ?? '', 'base64url'));
    if (b.length !== n)
      throw new CryptoError('CRYPTO_INVALID_JWK', `JWK "${field}" must be ${n} bytes`, { field });
    return b;
  };
  let publicKey: PublicKey;
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') {
    publicKey = { suite: 'ed25519', bytes: bytes(jwk.x, 32, 'x') };
  } else if (jwk.kty === 'EC' && jwk.crv === 'secp256k1') {
    const point = concatBytes(Uint8Array.of(4), bytes(jwk.x, 32, 'x'), bytes(jwk.y, 32, 'y'));
    try {
      publicKey = { suite: 'secp256k1', bytes: k1.Point.fromBytes(point).toBytes(true) };
    } catch {
      throw new CryptoError('CRYPTO_INVALID_JWK', 'JWK point is not on secp256k1', {});
    }
  } else {
    throw new CryptoError('CRYPTO_INVALID_JWK', `unsupported JWK kty/crv ${jwk.kty}/${jwk.crv}`, {});
  }
  if (jwk.d === undefined) return { publicKey };
  const secretKey: SecretKey = { suite: publicKey.suite, bytes: bytes(jwk.d, 32, 'd') };
  const derived = getSuite(publicKey.suite).publicKeyFromSecretKey(secretKey.bytes);
  if (!equalBytes(derived, publicKey.bytes)) {
    throw new CryptoError('CRYPTO_INVALID_JWK', 'JWK private key does not match its public key', {});
  }
  return { publicKey, secretKey };
}
