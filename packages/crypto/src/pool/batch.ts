import { bytes, decode, encode, list, struct, u8 } from '@pujiang/codec';
import type { SuiteId } from '../suites/suite.js';

/** One signature check, in the form the pool ships to its workers. */
export interface VerifyItem {
  readonly suite: SuiteId;
  readonly publicKey: Uint8Array;
  readonly message: Uint8Array;
  readonly signature: Uint8Array;
}

/** Items travel as one canonical byte string per chunk: one transferable copy, no per-object cloning. */
const WireBatch = list(
  struct('VerifyItem', {
    suite: u8,
    publicKey: bytes({ max: 1 << 16 }),
    message: bytes({ max: 64 << 20 }),
    signature: bytes({ max: 1 << 16 }),
  }),
  { max: 1 << 20 },
);

export function packBatch(items: readonly VerifyItem[], codeOf: (suite: SuiteId) => number): Uint8Array {
  return encode(
    WireBatch,
    items.map((item) => ({
      suite: codeOf(item.suite),
      publicKey: item.publicKey,
      message: item.message,
      signature: item.signature,
    })),
  );
}

export function unpackBatch(packed: Uint8Array) {
  return decode(WireBatch, packed);
}
