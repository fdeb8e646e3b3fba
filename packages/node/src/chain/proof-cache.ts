import {
  type HashAlgorithm,
  hashLeaf,
  type MerkleProof,
  merkleLevels,
  merkleProofFromLevels,
} from '@pujiang/crypto';
import { encodeReceipt, type Receipt } from '@pujiang/protocol';

/**
 * Recent blocks' decoded bodies and receipts and the Merkle levels of their transactions and
 * receipts, so that serving every transaction of a large block (a relayer reading hundreds of
 * receipts) decodes and hashes it once rather than once per request. Committed blocks never
 * change; the cache holds a few heights.
 */
export class BlockProofCache {
  private readonly levels = new Map<string, Uint8Array[][]>();
  private readonly decoded = new Map<string, unknown>();

  constructor(
    private readonly algorithm: HashAlgorithm,
    private readonly capacity = 8,
  ) {}

  txProof(height: bigint, txs: readonly Uint8Array[], index: number): MerkleProof {
    return merkleProofFromLevels(
      this.levelsOf(`tx/${height}`, () => txs),
      index,
    );
  }

  receiptProof(height: bigint, receipts: readonly Receipt[], index: number): MerkleProof {
    return merkleProofFromLevels(
      this.levelsOf(`receipt/${height}/${receipts.length}`, () => receipts.map(encodeReceipt)),
      index,
    );
  }

  /**
   * A committed block's decoded body or receipts, kept for the last few heights asked (callers
   * must not mutate what they get). Absent ones are not kept: a block may not exist yet.
   */
  remember<T>(key: string, load: () => T | undefined): T | undefined {
    if (this.decoded.has(key)) {
      const value = this.decoded.get(key) as T;
      this.decoded.delete(key);
      this.decoded.set(key, value);
      return value;
    }
    const value = load();
    if (value === undefined) return undefined;
    if (this.decoded.size >= this.capacity) this.decoded.delete(this.decoded.keys().next().value!);
    this.decoded.set(key, value);
    return value;
  }

  /** Drops what it holds of heights below `height` (their bodies were pruned). */
  forgetBelow(height: bigint): void {
    for (const map of [this.decoded, this.levels] as Map<string, unknown>[])
      for (const key of [...map.keys()]) if (BigInt(key.split('/')[1]!) < height) map.delete(key);
  }

  private levelsOf(key: string, leaves: () => readonly Uint8Array[]): Uint8Array[][] {
    let levels = this.levels.get(key);
    if (levels) {
      // Most recently used last.
      this.levels.delete(key);
    } else {
      levels = merkleLevels(
        this.algorithm,
        leaves().map((leaf) => hashLeaf(this.algorithm, leaf)),
      );
      if (this.levels.size >= this.capacity) this.levels.delete(this.levels.keys().next().value!);
    }
    this.levels.set(key, levels);
    return levels;
  }
}
