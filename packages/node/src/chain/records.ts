import {
  bytes,
  decode,
  encode,
  fixedBytes,
  list,
  map,
  optional,
  string,
  struct,
  u32,
  u64,
} from '@pujiang/codec';
import type { CommitCertificate } from '@pujiang/consensus';
import { bytesToHex, hexToBytes } from '@pujiang/types';
import type { Receipt } from '../execution/executor.js';

/** Canonical encodings of what the block store keeps besides blocks. */
const Certificate = struct('CommitCertificate', {
  height: u64,
  round: u32,
  value: fixedBytes(32),
  precommits: list(
    struct('Precommit', {
      validator: u32,
      round: u32,
      value: fixedBytes(32),
      signature: bytes({ max: 8192 }),
    }),
    { max: 10_000 },
  ),
});

export function encodeCertificate(c: CommitCertificate): Uint8Array {
  return encode(Certificate, {
    height: BigInt(c.height),
    round: c.round,
    value: hexToBytes(c.value),
    precommits: c.precommits.map((p) => ({
      validator: p.message.validator,
      round: p.message.round,
      value: hexToBytes(p.message.value ?? ''),
      signature: p.signature,
    })),
  });
}

export function decodeCertificate(bytes: Uint8Array): CommitCertificate {
  const c = decode(Certificate, bytes);
  const height = Number(c.height);
  return {
    height,
    round: c.round,
    value: bytesToHex(c.value),
    precommits: c.precommits.map((p) => ({
      message: {
        type: 'precommit',
        height,
        round: p.round,
        value: bytesToHex(p.value),
        validator: p.validator,
      },
      signature: p.signature,
    })),
  };
}

const Receipts = list(
  struct('Receipt', {
    txHash: fixedBytes(32),
    code: string({ max: 64 }),
    message: optional(string({ max: 1024 })),
    gasUsed: u64,
    events: list(
      struct('Event', {
        module: string({ max: 32 }),
        type: string({ max: 64 }),
        attributes: map(string({ max: 64 }), string({ max: 1024 }), { max: 64 }),
      }),
      { max: 1024 },
    ),
  }),
  { max: 100_000 },
);

export function encodeReceipts(receipts: readonly Receipt[]): Uint8Array {
  return encode(
    Receipts,
    receipts.map((r) => ({
      txHash: hexToBytes(r.txHash),
      code: r.code,
      ...(r.message === undefined ? {} : { message: r.message.slice(0, 1024) }),
      gasUsed: BigInt(r.gasUsed),
      events: r.events.map((e) => ({
        module: e.module,
        type: e.type,
        attributes: new Map(Object.entries(e.attributes)),
      })),
    })),
  );
}

export function decodeReceipts(bytes: Uint8Array): Receipt[] {
  return decode(Receipts, bytes).map((r) => ({
    txHash: bytesToHex(r.txHash),
    code: r.code,
    ...(r.message === undefined ? {} : { message: r.message }),
    gasUsed: Number(r.gasUsed),
    events: r.events.map((e) => ({
      module: e.module,
      type: e.type,
      attributes: Object.fromEntries(e.attributes),
    })),
  }));
}
