import { bytes, decode, encode, fixedBytes, list, struct, u32, u64 } from '@pujiang/codec';
import type { CommitCertificate } from '@pujiang/consensus';
import { bytesToHex, hexToBytes } from '@pujiang/types';

/** The canonical encoding of a commit certificate, as the block store keeps it. */
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
