import { bytes, decode, encode, list, optional, string, struct, u8 } from '@pujiang/codec';
import type { SignatureOptions, SuiteId } from '../suites/suite.js';

/** One signature check, in the form the pool ships to its workers. */
export interface VerifyItem {
  readonly suite: SuiteId;
  readonly publicKey: Uint8Array;
  readonly message: Uint8Array;
  readonly signature: Uint8Array;
  /** Per-item options (SM2 user ID, ML-DSA context); defaults when absent. */
  readonly options?: SignatureOptions;
}

/** Items travel as one canonical byte string per chunk: one transferable copy, no per-object cloning. */
const WireBatch = list(
  struct('VerifyItem', {
    suite: u8,
    publicKey: bytes({ max: 1 << 16 }),
    message: bytes({ max: 64 << 20 }),
    signature: bytes({ max: 1 << 16 }),
    sm2UserId: optional(string({ max: 8191 })),
    mlDsaContext: optional(bytes({ max: 255 })),
  }),
  { max: 1 << 20 },
);

export function packBatch(items: readonly VerifyItem[], codeOf: (suite: SuiteId) => number): Uint8Array {
  let size = 8;
  for (const item of items) size += item.publicKey.length + item.message.length + item.signature.length + 24;
  return encode(
    WireBatch,
    items.map((item) => ({
      suite: codeOf(item.suite),
      publicKey: item.publicKey,
      message: item.message,
      signature: item.signature,
      ...(item.options?.sm2UserId === undefined ? {} : { sm2UserId: item.options.sm2UserId }),
      ...(item.options?.mlDsaContext === undefined ? {} : { mlDsaContext: item.options.mlDsaContext }),
    })),
    size,
  );
}

export function unpackBatch(packed: Uint8Array) {
  return decode(WireBatch, packed);
}
