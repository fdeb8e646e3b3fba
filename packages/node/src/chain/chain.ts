import type { CommitCertificate } from '@pujiang/consensus';
import {
  deriveAddress,
  type HashAlgorithm,
  hash,
  merkleRoot,
  type PublicKey,
  type SuiteId,
} from '@pujiang/crypto';
import { EMPTY_ROOT, SparseMerkleTree } from '@pujiang/state';
import { ChainStore } from '@pujiang/storage';
import { bytesToHex, equalBytes, hexToBytes } from '@pujiang/types';
import { Executor, type Receipt } from '../execution/executor.js';
import type { ChainModule } from '../execution/module.js';
import { decodeTx, encodeTx, type SignedTx, txHash } from '../tx/transaction.js';
import { type Block, blockHash, decodeBlock, encodeBlock, txRoot, ZERO_HASH } from './block.js';
import { decodeCertificate, decodeReceipts, encodeCertificate, encodeReceipts } from './records.js';

export interface GenesisValidator {
  readonly publicKey: PublicKey;
  readonly power: number;
}

export interface Genesis {
  readonly chainId: string;
  readonly chainHash: HashAlgorithm;
  readonly acceptedSuites: readonly SuiteId[];
  readonly validators: readonly GenesisValidator[];
  readonly limits: {
    readonly maxBlockBytes: number;
    readonly maxBlockTxs: number;
    readonly maxBlockGas: number;
  };
  /** Each module's genesis configuration, by module name. */
  readonly modules: Readonly<Record<string, unknown>>;
}

const u64 = (n: bigint) => {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, n);
  return out;
};
const readU64 = (b: Uint8Array | undefined) =>
  b ? new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0) : 0n;

/**
 * The replicated application: blocks in, state out. It builds and checks block candidates,
 * and commits a decided block with its execution results, certificate, receipts and state
 * changes in one store transaction, so after a crash at any moment the node is at the
 * previous height or the new one, complete.
 */
export class Chain {
  readonly executor: Executor;
  private readonly tree: SparseMerkleTree;
  height = 0n;
  stateRoot: Uint8Array = EMPTY_ROOT;
  resultsRoot: Uint8Array = ZERO_HASH;
  lastBlockHash: Uint8Array = ZERO_HASH;

  private constructor(
    readonly store: ChainStore,
    readonly genesis: Genesis,
    modules: readonly ChainModule[],
  ) {
    this.tree = new SparseMerkleTree(genesis.chainHash, store);
    this.executor = new Executor(this.tree, {
      chainId: genesis.chainId,
      chainHash: genesis.chainHash,
      modules,
      maxBlockGas: genesis.limits.maxBlockGas,
    });
  }

  static open(path: string, genesis: Genesis, modules: readonly ChainModule[]): Chain {
    const chain = new Chain(ChainStore.open(path), genesis, modules);
    const root = chain.store.getMeta('stateRoot');
    if (root === undefined) {
      chain.stateRoot = chain.executor.genesis(genesis.modules);
      chain.resultsRoot = merkleRoot(genesis.chainHash, []);
      chain.persistHead({});
    } else {
      chain.stateRoot = root;
      chain.height = readU64(chain.store.getMeta('height'));
      chain.resultsRoot = chain.store.getMeta('resultsRoot')!;
      chain.lastBlockHash = chain.store.getMeta('lastBlockHash')!;
    }
    return chain;
  }

  private persistHead(rows: Parameters<ChainStore['commit']>[1]): void {
    this.store.commit(
      {
        stateRoot: this.stateRoot,
        height: u64(this.height),
        resultsRoot: this.resultsRoot,
        lastBlockHash: this.lastBlockHash,
      },
      rows,
    );
  }

  addressOf(publicKey: PublicKey): string {
    return bytesToHex(deriveAddress(this.genesis.chainHash, publicKey));
  }

  /** A candidate for the next height from the given transactions (already checked by the mempool). */
  buildBlock(proposer: PublicKey, time: bigint, txs: readonly SignedTx[]): { block: Block; hash: string } {
    const encoded = txs.map(encodeTx);
    const block: Block = {
      header: {
        version: 1,
        chainId: this.genesis.chainId,
        height: this.height + 1n,
        time,
        previousHash: this.lastBlockHash,
        txRoot: txRoot(this.genesis.chainHash, encoded),
        txCount: encoded.length,
        stateRoot: this.stateRoot,
        resultsRoot: this.resultsRoot,
        proposer: deriveAddress(this.genesis.chainHash, proposer),
      },
      txs: encoded,
    };
    return { block, hash: blockHash(this.genesis.chainHash, block.header) };
  }

  /** The application's verdict on a proposed block (line 22's valid(v)). */
  validateBlock(block: Block): boolean {
    const h = block.header;
    if (h.version !== 1 || h.chainId !== this.genesis.chainId || h.height !== this.height + 1n) return false;
    if (!equalBytes(h.previousHash, this.lastBlockHash) || !equalBytes(h.stateRoot, this.stateRoot))
      return false;
    if (!equalBytes(h.resultsRoot, this.resultsRoot)) return false;
    if (h.txCount !== block.txs.length || block.txs.length > this.genesis.limits.maxBlockTxs) return false;
    if (encodeBlock(block).length > this.genesis.limits.maxBlockBytes) return false;
    if (!equalBytes(h.txRoot, txRoot(this.genesis.chainHash, block.txs))) return false;
    try {
      for (const tx of block.txs) decodeTx(tx);
    } catch {
      return false;
    }
    return true;
  }

  /** Executes and stores a decided block with its certificate, atomically. */
  commit(block: Block, certificate: CommitCertificate): Receipt[] {
    if (block.header.height !== this.height + 1n)
      throw new Error(`cannot commit height ${block.header.height} at ${this.height}`);
    const txs = block.txs.map(decodeTx);
    const result = this.executor.executeBlock(this.stateRoot, block.header.height, txs);
    const height = String(block.header.height);
    const txIndex: Record<string, Uint8Array> = {};
    txs.forEach((tx, i) => {
      txIndex[txHash(this.genesis.chainHash, tx)] = Uint8Array.from([
        ...u64(block.header.height),
        ...u64(BigInt(i)),
      ]);
    });
    this.height = block.header.height;
    this.stateRoot = result.root;
    this.resultsRoot = merkleRoot(
      this.genesis.chainHash,
      result.receipts.map((r) => hash(this.genesis.chainHash, encodeReceipts([r]))),
    );
    this.lastBlockHash = hexToBytes(blockHash(this.genesis.chainHash, block.header));
    this.persistHead({
      blocks: { [height]: encodeBlock(block) },
      certificates: { [height]: encodeCertificate(certificate) },
      receipts: { [height]: encodeReceipts(result.receipts) },
      'tx-index': txIndex,
    });
    return result.receipts;
  }

  block(height: bigint): Block | undefined {
    const bytes = this.store.read('blocks', String(height));
    return bytes ? decodeBlock(bytes) : undefined;
  }

  certificate(height: bigint): CommitCertificate | undefined {
    const bytes = this.store.read('certificates', String(height));
    return bytes ? decodeCertificate(bytes) : undefined;
  }

  receipts(height: bigint): Receipt[] | undefined {
    const bytes = this.store.read('receipts', String(height));
    return bytes ? decodeReceipts(bytes) : undefined;
  }

  /** Where a committed transaction is: its height and index in the block. */
  locate(hashHex: string): { height: bigint; index: number } | undefined {
    const bytes = this.store.read('tx-index', hashHex);
    return bytes ? { height: readU64(bytes), index: Number(readU64(bytes.subarray(8))) } : undefined;
  }

  nonceOf(address: string): bigint {
    return this.executor.nonceOf(this.stateRoot, address);
  }

  query(module: string, name: string, params: unknown): unknown {
    return this.executor.query(this.stateRoot, module, name, params);
  }

  close(): Promise<void> {
    return this.store.close();
  }
}
