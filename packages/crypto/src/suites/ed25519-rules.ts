import { bytesToHex, hexToBytes } from '@pujiang/types';

/**
 * The Ed25519 verification rule both implementations (node:crypto and @noble/curves) enforce
 * before the equation: canonical S, canonical point encodings, no key of small order.
 */

export const ED25519_SPKI_PREFIX = hexToBytes('302a300506032b6570032100');
export const ED25519_PKCS8_PREFIX = hexToBytes('302e020100300506032b657004220420');

/** Group order L = 2^252 + 27742317777372353535851937790883648493, little-endian. */
const L_LE = hexToBytes('edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010');

/** True when the little-endian 32-byte scalar is < L (RFC 8032 section 5.1.7 step 1). */
export function isCanonicalScalar(s: Uint8Array): boolean {
  for (let i = 31; i >= 0; i--) {
    if (s[i]! < L_LE[i]!) return true;
    if (s[i]! > L_LE[i]!) return false;
  }
  return false; // equal to L
}

/**
 * True when a point encoding is canonical: y < p = 2^255 - 19 (RFC 8032 section 5.1.3
 * step 1), and not x = 0 with the sign bit set (step 4). The points with x = 0 are y = 1
 * and y = p - 1, so the two refused sign-bit forms are 01 00..00 80 and ec ff..ff ff.
 */
export function isCanonicalPointEncoding(p: Uint8Array): boolean {
  const hex = bytesToHex(p);
  if (hex === X_ZERO_WITH_SIGN[0] || hex === X_ZERO_WITH_SIGN[1]) return false;
  if ((p[31]! & 0x7f) !== 0x7f) return true;
  for (let i = 30; i >= 1; i--) if (p[i] !== 0xff) return true;
  return p[0]! < 0xed;
}

const X_ZERO_WITH_SIGN = [`01${'00'.repeat(30)}80`, `ec${'ff'.repeat(31)}`];

/**
 * The canonical encodings of the 8 points of small order (libsodium refuses the same).
 * Such a key verifies signatures nobody made (with R of small order and S = 0), so an
 * account or validator with one could be impersonated; we refuse them as public keys.
 */
export const SMALL_ORDER_ENCODINGS: readonly string[] = [
  `01${'00'.repeat(31)}`,
  `ec${'ff'.repeat(30)}7f`,
  '00'.repeat(32),
  `${'00'.repeat(31)}80`,
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa',
];
const smallOrder = new Set(SMALL_ORDER_ENCODINGS);

export function isSmallOrderEncoding(p: Uint8Array): boolean {
  return smallOrder.has(bytesToHex(p));
}
