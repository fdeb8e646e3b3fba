import {
  bytes,
  decode,
  encode,
  fixedBytes,
  type Infer,
  list,
  string,
  struct,
  u32,
  u64,
} from '@pujiang/codec';
import { type HashAlgorithm, hash, merkleRoot } from '@pujiang/crypto';
import { bytesToHex } from '@pujiang/types';
import { MAX_TX_BYTES } from './transaction.js';

/**
 * A block header commits to everything a light client needs: the previous block, the
 * transactions (Merkle root of their encodings), and, as CometBFT's app hash does, the
 * state root and the results root after the previous block, so execution can run beside
 * consensus. Its hash is the value validators vote on.
 */
export const BlockHeader = struct('BlockHeader', {
  version: u32,
  chainId: string({ max: 64 }),
  height: u64,
  /** Milliseconds since the epoch, from the proposer's clock. */
  time: u64,
  previousHash: fixedBytes(32),
  txRoot: fixedBytes(32),
  txCount: u32,
  /** State root after executing the previous block. */
  stateRoot: fixedBytes(32),
  /** Merkle root of the previous block's receipts. */
  resultsRoot: fixedBytes(32),
  proposer: fixedBytes(21),
});
export type BlockHeader = Infer<typeof BlockHeader>;

export const Block = struct('Block', {
  header: BlockHeader,
  txs: list(bytes({ max: MAX_TX_BYTES }), { max: 100_000 }),
});
export type Block = Infer<typeof Block>;

export const ZERO_HASH = new Uint8Array(32);

export function blockHash(algorithm: HashAlgorithm, header: BlockHeader): string {
  return bytesToHex(hash(algorithm, encode(BlockHeader, header)));
}

export function txRoot(algorithm: HashAlgorithm, txs: readonly Uint8Array[]): Uint8Array {
  return merkleRoot(algorithm, txs);
}

const lengthPrefixSize = (n: number) =>
  n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x20_0000 ? 3 : n < 0x1000_0000 ? 4 : 5;

/** The size of `encodeBlock(block)`, computed without encoding the transactions. */
export function encodedBlockSize(block: Block): number {
  let size = encode(BlockHeader, block.header).length + lengthPrefixSize(block.txs.length);
  for (const tx of block.txs) size += lengthPrefixSize(tx.length) + tx.length;
  return size;
}

export function encodeBlock(block: Block): Uint8Array {
  return encode(Block, block, 1024 + block.txs.reduce((n, t) => n + t.length + 4, 0));
}

export function decodeBlock(bytes: Uint8Array): Block {
  return decode(Block, bytes);
}
