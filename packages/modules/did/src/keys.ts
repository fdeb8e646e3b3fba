import { weierstrass } from '@noble/curves/abstract/weierstrass.js';
import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { p256 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import type { PublicKey } from '@pujiang/crypto';
import { moduleError } from '@pujiang/module-kit';
import { bytesToHex } from '@pujiang/types';
import { base58, base64urlnopad } from '@scure/base';

/**
 * The key types a DID's verification methods may hold, as Multikey (multicodec + base58btc
 * multibase) or JWK. See docs/did-method.md for why each code. EC keys are compressed SEC1.
 */
export const KEY_ALGORITHMS = [
  'Ed25519',
  'P-256',
  'SM2',
  'secp256k1',
  'ML-DSA-44',
  'ML-DSA-65',
  'X25519',
] as const;
export type KeyAlgorithm = (typeof KEY_ALGORITHMS)[number];

interface AlgorithmInfo {
  readonly codec: number;
  readonly length: number;
  /** Signing keys may be authentication, assertion and capability methods; X25519 only key agreement. */
  readonly agreement: boolean;
}

export const ALGORITHMS: Readonly<Record<KeyAlgorithm, AlgorithmInfo>> = {
  Ed25519: { codec: 0xed, length: 32, agreement: false },
  'P-256': { codec: 0x1200, length: 33, agreement: false },
  SM2: { codec: 0x1206, length: 33, agreement: false },
  secp256k1: { codec: 0xe7, length: 33, agreement: false },
  'ML-DSA-44': { codec: 0x1210, length: 1312, agreement: false },
  'ML-DSA-65': { codec: 0x1211, length: 1952, agreement: false },
  X25519: { codec: 0xec, length: 32, agreement: true },
};

export interface DidKey {
  readonly algorithm: KeyAlgorithm;
  /** The key in its multicodec form (EC points compressed). */
  readonly bytes: Uint8Array;
}

const badKey = (message: string, details: Record<string, unknown> = {}) =>
  moduleError('DID_BAD_KEY', message, details);

function varint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return out;
}

/** Throws `DID_BAD_KEY` unless `bytes` is a valid key of `algorithm` (EC points on their curve). */
/** Any fixed scalar: a clamped one is a multiple of 8, so it sends every small-order point to zero. */
const PROBE_SCALAR = new Uint8Array(32).fill(0x42);

export function checkKey(algorithm: KeyAlgorithm, bytes: Uint8Array): void {
  if (!KEY_ALGORITHMS.includes(algorithm))
    throw badKey(`a key's algorithm is one of ${KEY_ALGORITHMS.join(', ')}`, {
      algorithm: String(algorithm),
    });
  if (!(bytes instanceof Uint8Array)) throw badKey('a key is bytes', { algorithm });
  const info = ALGORITHMS[algorithm];
  if (bytes.length !== info.length)
    throw badKey(`a ${algorithm} key is ${info.length} bytes`, { algorithm, length: bytes.length });
  try {
    if (algorithm === 'Ed25519') ed25519.Point.fromBytes(bytes);
    else if (algorithm === 'P-256') p256.Point.fromBytes(bytes);
    else if (algorithm === 'secp256k1') secp256k1.Point.fromBytes(bytes);
    else if (algorithm === 'SM2') sm2Point(bytes);
    // A small-order point makes every key agreement zero: no one could seal to it.
    else if (algorithm === 'X25519' && x25519.getSharedSecret(PROBE_SCALAR, bytes).every((b) => b === 0))
      throw new Error('small order');
  } catch {
    throw badKey(`not a valid ${algorithm} public key`, { algorithm });
  }
}

/** The SM2 recommended curve (GM/T 0003.5), for point decoding only: signatures are the crypto package's. */
const Sm2Point = weierstrass({
  p: 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffffn,
  n: 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n,
  h: 1n,
  a: 0xfffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffcn,
  b: 0x28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93n,
  Gx: 0x32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7n,
  Gy: 0xbc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0n,
});

function sm2Point(bytes: Uint8Array) {
  const point = Sm2Point.fromBytes(bytes);
  point.assertValidity();
  return point;
}

/** Throws `DID_BAD_KEY` unless `key` is a `DidKey` whose bytes are a valid key of its algorithm. */
export function checkDidKey(key: DidKey): void {
  if (typeof key !== 'object' || key === null) throw badKey('a key is { algorithm, bytes }');
  checkKey(key.algorithm, key.bytes);
}

/** `z` + base58btc(multicodec varint || key). */
export function toMultibase(key: DidKey): string {
  checkDidKey(key);
  const prefix = varint(ALGORITHMS[key.algorithm].codec);
  return `z${base58.encode(Uint8Array.from([...prefix, ...key.bytes]))}`;
}

/** Parses a Multikey's `publicKeyMultibase`; `DID_BAD_KEY` unless it is a known, valid key. */
export function fromMultibase(text: string): DidKey {
  if (typeof text !== 'string' || !text.startsWith('z') || text.length > 3000)
    throw badKey('publicKeyMultibase must be base58btc (z...)');
  let raw: Uint8Array;
  try {
    raw = base58.decode(text.slice(1));
  } catch {
    throw badKey('publicKeyMultibase is not base58btc');
  }
  for (const algorithm of KEY_ALGORITHMS) {
    const prefix = varint(ALGORITHMS[algorithm].codec);
    if (prefix.every((b, i) => raw[i] === b)) {
      const bytes = raw.slice(prefix.length);
      checkKey(algorithm, bytes);
      return { algorithm, bytes };
    }
  }
  throw badKey('publicKeyMultibase names a key type this method does not support', {
    prefix: bytesToHex(raw.subarray(0, 2)),
  });
}

const EC_CURVES: Partial<Record<KeyAlgorithm, string>> = {
  'P-256': 'P-256',
  SM2: 'SM2',
  secp256k1: 'secp256k1',
};

/** The uncompressed point (04 || x || y) of a compressed EC key (what the crypto package's SM2 verifies with). */
export function uncompressedKey(key: DidKey): Uint8Array {
  if (key.algorithm === 'P-256') return p256.Point.fromBytes(key.bytes).toBytes(false);
  if (key.algorithm === 'secp256k1') return secp256k1.Point.fromBytes(key.bytes).toBytes(false);
  return sm2Point(key.bytes).toBytes(false);
}

/** The key as a JWK (RFC 7517; `crv: SM2` and `kty: AKP` as docs/did-method.md says). */
export function toJwk(key: DidKey): Record<string, string> {
  checkDidKey(key);
  const b64 = (bytes: Uint8Array) => base64urlnopad.encode(bytes);
  if (key.algorithm === 'Ed25519' || key.algorithm === 'X25519')
    return { kty: 'OKP', crv: key.algorithm, x: b64(key.bytes) };
  if (key.algorithm === 'ML-DSA-44' || key.algorithm === 'ML-DSA-65')
    return { kty: 'AKP', alg: key.algorithm, pub: b64(key.bytes) };
  const point = uncompressedKey(key);
  return {
    kty: 'EC',
    crv: EC_CURVES[key.algorithm]!,
    x: b64(point.subarray(1, 33)),
    y: b64(point.subarray(33)),
  };
}

/** Parses a public JWK into a key; `DID_BAD_KEY` for a private, unknown or invalid one. */
export function fromJwk(jwk: unknown): DidKey {
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk))
    throw badKey('publicKeyJwk must be an object');
  const j = jwk as Record<string, unknown>;
  if ('d' in j || 'priv' in j) throw badKey('publicKeyJwk must not hold a private key');
  const b64 = (name: string): Uint8Array => {
    const v = j[name];
    if (typeof v !== 'string' || v.length > 3000) throw badKey(`publicKeyJwk.${name} must be base64url`);
    try {
      return base64urlnopad.decode(v);
    } catch {
      throw badKey(`publicKeyJwk.${name} must be base64url without padding`);
    }
  };
  let key: DidKey;
  if (j.kty === 'OKP' && (j.crv === 'Ed25519' || j.crv === 'X25519'))
    key = { algorithm: j.crv, bytes: b64('x') };
  else if (j.kty === 'AKP' && (j.alg === 'ML-DSA-44' || j.alg === 'ML-DSA-65'))
    key = { algorithm: j.alg, bytes: b64('pub') };
  else if (j.kty === 'EC' && (j.crv === 'P-256' || j.crv === 'SM2' || j.crv === 'secp256k1')) {
    const x = b64('x');
    const y = b64('y');
    if (x.length !== 32 || y.length !== 32) throw badKey('publicKeyJwk x and y must be 32 bytes');
    key = { algorithm: j.crv, bytes: Uint8Array.from([(y[31]! & 1) === 0 ? 2 : 3, ...x]) };
    checkKey(key.algorithm, key.bytes);
    if (bytesToHex(uncompressedKey(key).subarray(33)) !== bytesToHex(y))
      throw badKey('publicKeyJwk is not on its curve');
    return key;
  } else throw badKey('publicKeyJwk is of a key type this method does not support', { kty: String(j.kty) });
  checkKey(key.algorithm, key.bytes);
  return key;
}

/**
 * The DID key form of a chain key (a transaction's sender), to compare with a document's
 * methods; undefined for a suite that cannot be a DID key (the hybrids).
 */
export function didKeyOfChainKey(key: PublicKey): DidKey | undefined {
  if (typeof key !== 'object' || key === null) throw badKey('a key is a chain public key');
  switch (key.suite) {
    case 'ed25519':
      return { algorithm: 'Ed25519', bytes: key.bytes };
    case 'secp256k1':
      return { algorithm: 'secp256k1', bytes: key.bytes };
    case 'sm2':
      return { algorithm: 'SM2', bytes: sm2Point(key.bytes).toBytes(true) };
    case 'ml-dsa-44':
      return { algorithm: 'ML-DSA-44', bytes: key.bytes };
    case 'ml-dsa-65':
      return { algorithm: 'ML-DSA-65', bytes: key.bytes };
    default:
      return undefined;
  }
}

export function sameKey(a: DidKey, b: DidKey): boolean {
  return a.algorithm === b.algorithm && bytesToHex(a.bytes) === bytesToHex(b.bytes);
}
