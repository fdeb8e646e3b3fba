import { decode, encode } from '@pujiang/codec';
import type { CommitCertificate } from '@pujiang/consensus';
import { deriveAddress, hash, type MerkleProof, merkleRoot, type PublicKey } from '@pujiang/crypto';
import type { ChainModule } from '@pujiang/module-kit';
import { parseParams } from '@pujiang/module-kit';
import {
  type Block,
  BlockHeader,
  type BlockLimits,
  blockHash,
  decodeBlock,
  decodeCertificate,
  decodeReceipts,
  decodeTx,
  decodeU64,
  encodeBlock,
  encodeCertificate,
  encodedBlockSize,
  encodeReceipt,
  encodeReceiptLeaves,
  encodeU64,
  type Genesis,
  genesisToJson,
  type Receipt,
  type SignedTx,
  txRoot,
  ZERO_HASH,
} from '@pujiang/protocol';
import { EMPTY_ROOT, SparseMerkleTree, type StateProof } from '@pujiang/state';
import { ChainStore, type TableDeletes } from '@pujiang/storage';
import {
  bytesToHex,
  concatBytes,
  equalBytes,
  hexToBytes,
  PujiangError,
  stableStringify,
  utf8ToBytes,
} from '@pujiang/types';
import { type BlockTx, Executor } from '../execution/executor.js';
import { Serial } from '../serial.js';
import {
  type GovernedConfig,
  governedConfigIn,
  type ValidatorSetAt,
  validatorSetIn,
} from './governed-config.js';
import { BlockProofCache } from './proof-cache.js';
import { searchKey, searchRows } from './search-index.js';

export type ChainErrorCode = 'CHAIN_GENESIS_MISMATCH' | 'CHAIN_NOT_NEXT_HEIGHT';

/** What a commit produced, for the node's subscribers. */
export interface CommittedBlock {
  readonly block: Block;
  readonly hash: string;
  readonly certificate: CommitCertificate;
  readonly txs: readonly BlockTx[];
  readonly receipts: readonly Receipt[];
}

/** Which genesis block limit a block breaks (transactions, encoded bytes, sum of gas limits), if any. */
export function blockLimitProblem(
  limits: BlockLimits,
  block: Block,
  txs: readonly SignedTx[],
): 'block-txs' | 'block-bytes' | 'block-gas' | undefined {
  if (block.txs.length > limits.maxBlockTxs) return 'block-txs';
  if (encodedBlockSize(block) > limits.maxBlockBytes) return 'block-bytes';
  let gas = 0n;
  for (const tx of txs) gas += tx.body.gasLimit;
  return gas > BigInt(limits.maxBlockGas) ? 'block-gas' : undefined;
}

/** What the chain's head is after a block; `Chain` holds it and the store's `meta` table persists it. */
interface Head {
  readonly height: bigint;
  readonly stateRoot: Uint8Array;
  readonly resultsRoot: Uint8Array;
  readonly lastBlockHash: Uint8Array;
  readonly lastBlockTime: bigint;
}

export interface ChainOptions {
  /** Keep the bodies of only the latest this-many blocks (0 or absent: keep everything). */
  readonly keepBlocks?: number;
}

/** Candidate keys sort by height: 20 zero-padded digits, then the hash. */
const candidatePrefix = (height: bigint) => `${height.toString().padStart(20, '0')}/`;

/** A stable id of the genesis: the chain hash of its canonical JSON. Nodes with different genesis never mix stores. */
export function genesisHash(genesis: Genesis): string {
  return bytesToHex(hash(genesis.chainHash, utf8ToBytes(stableStringify(genesisToJson(genesis)))));
}

/**
 * The replicated application: blocks in, state out. It builds and checks block candidates,
 * and commits a decided block with its execution results, certificate, receipts, indexes and
 * state changes in one store transaction, so after a crash at any moment the node is at the
 * previous height or the new one, complete. By default it keeps every block and state
 * version, so any height can be read and proven; `keepBlocks` prunes old block bodies.
 */
export class Chain {
  readonly executor: Executor;
  readonly tree: SparseMerkleTree;
  readonly genesisHash: string;
  height = 0n;
  /** State root after the latest committed block (the next header commits to it). */
  stateRoot: Uint8Array = EMPTY_ROOT;
  /** Results root of the latest committed block (the next header commits to it). */
  resultsRoot: Uint8Array = ZERO_HASH;
  lastBlockHash: Uint8Array = ZERO_HASH;
  lastBlockTime = 0n;

  /** Lowest height whose body (transactions, receipts, tx index) is still stored. */
  lowestBodyHeight = 1n;

  /** The commit lock: one block executes and is stored at a time. */
  private readonly commits = new Serial();
  private configCache: { root: Uint8Array; config: GovernedConfig } | undefined;
  private readonly setCache = new Map<bigint, ValidatorSetAt>();
  /** Recent blocks' decoded bodies, receipts and Merkle levels: many proofs of one block decode and hash it once. */
  private readonly proofs: BlockProofCache;

  private constructor(
    readonly store: ChainStore,
    readonly genesis: Genesis,
    modules: readonly ChainModule[],
    private readonly options: ChainOptions,
  ) {
    this.tree = new SparseMerkleTree(genesis.chainHash, store);
    this.executor = Executor.forGenesis(this.tree, genesis, modules);
    this.genesisHash = genesisHash(genesis);
    this.proofs = new BlockProofCache(genesis.chainHash);
  }

  static open(
    path: string,
    genesis: Genesis,
    modules: readonly ChainModule[],
    options: ChainOptions = {},
  ): Chain {
    const store = ChainStore.open(path);
    let chain: Chain;
    try {
      chain = new Chain(store, genesis, modules, options);
    } catch (error) {
      // The modules cannot run this genesis (MODULE_UNKNOWN, say): leave the store closed.
      void store.close();
      throw error;
    }
    const stored = chain.store.getMeta('genesisHash');
    if (stored === undefined) {
      chain.stateRoot = chain.executor.genesis(genesis.modules, genesis);
      chain.resultsRoot = merkleRoot(genesis.chainHash, []);
      chain.persistHead({ genesisHash: hexToBytes(chain.genesisHash) }, {});
    } else {
      if (bytesToHex(stored) !== chain.genesisHash) {
        void chain.store.close();
        throw new PujiangError<ChainErrorCode>(
          'CHAIN_GENESIS_MISMATCH',
          'the data directory belongs to a chain with another genesis',
          { stored: bytesToHex(stored), given: chain.genesisHash },
        );
      }
      chain.stateRoot = chain.store.getMeta('stateRoot')!;
      chain.height = decodeU64(chain.store.getMeta('height'));
      chain.resultsRoot = chain.store.getMeta('resultsRoot')!;
      chain.lastBlockHash = chain.store.getMeta('lastBlockHash')!;
      chain.lastBlockTime = decodeU64(chain.store.getMeta('lastBlockTime'));
      chain.lowestBodyHeight = decodeU64(chain.store.getMeta('lowestBodyHeight')) || 1n;
    }
    return chain;
  }

  private persistHead(
    extraMeta: Readonly<Record<string, Uint8Array>>,
    rows: Parameters<ChainStore['commit']>[1],
    deletes: Parameters<ChainStore['commit']>[2] = {},
    head: Head = this,
  ): void {
    this.store.commit(
      {
        ...extraMeta,
        stateRoot: head.stateRoot,
        height: encodeU64(head.height),
        resultsRoot: head.resultsRoot,
        lastBlockHash: head.lastBlockHash,
        lastBlockTime: encodeU64(head.lastBlockTime),
      },
      rows,
      deletes,
    );
  }

  /**
   * Keeps a block durably before this node signs a proposal or vote for it, so that a node
   * that crashes after deciding (its WAL replays the decision) still has the block to commit.
   */
  saveCandidate(block: Block, hashHex: string): void {
    this.store.writeNow(
      'candidates',
      `${candidatePrefix(block.header.height)}${hashHex}`,
      encodeBlock(block),
    );
  }

  candidate(height: bigint, hashHex: string): Block | undefined {
    const bytes = this.store.read('candidates', `${candidatePrefix(height)}${hashHex}`);
    return bytes ? decodeBlock(bytes) : undefined;
  }

  /** The state root after block `height` (0: the genesis state). */
  rootAfter(height: bigint): Uint8Array | undefined {
    if (height === this.height) return this.stateRoot;
    if (height > this.height || height < 0n) return undefined;
    return this.header(height + 1n)?.stateRoot;
  }

  /**
   * The validator set that signs height `height`: the one recorded in the state after block
   * `height - 2` (a change made by block k signs from k + 2). Known up to the head + 2.
   */
  validatorsFor(height: bigint): ValidatorSetAt | undefined {
    const cached = this.setCache.get(height);
    if (cached) return cached;
    const root = this.rootAfter(height >= 2n ? height - 2n : 0n);
    if (root === undefined) return undefined;
    const set = validatorSetIn(this.executor, root, this.genesis);
    if (this.setCache.size >= 1024) this.setCache.clear();
    this.setCache.set(height, set);
    return set;
  }

  /** The suites and block limits in force for the next block (governance may have changed the genesis ones). */
  config(): GovernedConfig {
    if (this.configCache === undefined || !equalBytes(this.configCache.root, this.stateRoot))
      this.configCache = {
        root: this.stateRoot,
        config: governedConfigIn(this.executor, this.stateRoot, this.genesis),
      };
    return this.configCache.config;
  }

  addressOf(publicKey: PublicKey): string {
    return bytesToHex(deriveAddress(this.genesis.chainHash, publicKey));
  }

  /** A candidate for the next height from the given transactions (already checked by the mempool). */
  buildBlock(
    proposer: PublicKey,
    time: bigint,
    wires: readonly Uint8Array[],
  ): { block: Block; hash: string } {
    const block: Block = {
      header: {
        version: 1,
        chainId: this.genesis.chainId,
        height: this.height + 1n,
        // Block time never goes backwards, whatever the proposer's clock says.
        time: time > this.lastBlockTime ? time : this.lastBlockTime + 1n,
        previousHash: this.lastBlockHash,
        txRoot: txRoot(this.genesis.chainHash, wires),
        txCount: wires.length,
        stateRoot: this.stateRoot,
        resultsRoot: this.resultsRoot,
        proposer: deriveAddress(this.genesis.chainHash, proposer),
      },
      txs: [...wires],
    };
    return { block, hash: blockHash(this.genesis.chainHash, block.header) };
  }

  /** The application's verdict on a proposed block (line 22's valid(v)). */
  validateBlock(block: Block, decoded?: readonly SignedTx[]): boolean {
    return this.blockProblem(block, decoded) === undefined;
  }

  /**
   * Why a proposed block is invalid, or undefined: it must extend our head with our roots,
   * keep the genesis limits (transactions, encoded bytes, and the sum of gas limits, as
   * Cosmos bounds a block), and hold only decodable transactions. `decoded` spares decoding
   * a block whose transactions this node already holds decoded (its own proposal).
   */
  blockProblem(block: Block, decoded?: readonly SignedTx[]): string | undefined {
    const h = block.header;
    const limits = this.config().limits;
    if (h.version !== 1 || h.chainId !== this.genesis.chainId || h.height !== this.height + 1n)
      return 'header';
    if (!equalBytes(h.previousHash, this.lastBlockHash)) return 'previous-hash';
    if (!equalBytes(h.stateRoot, this.stateRoot) || !equalBytes(h.resultsRoot, this.resultsRoot))
      return 'roots';
    if (h.time <= this.lastBlockTime) return 'time';
    if (h.txCount !== block.txs.length) return 'tx-count';
    let txs = decoded;
    if (txs === undefined || txs.length !== block.txs.length) {
      try {
        txs = block.txs.map((wire) => decodeTx(wire));
      } catch {
        return 'undecodable-tx';
      }
    }
    const overLimit = blockLimitProblem(limits, block, txs);
    if (overLimit) return overLimit;
    if (!equalBytes(h.txRoot, txRoot(this.genesis.chainHash, block.txs))) return 'tx-root';
    return undefined;
  }

  /**
   * Executes and stores a decided block with its certificate, atomically. `verified(hash)`
   * returns transactions this node already decoded and whose signatures it verified (the
   * mempool's entries); the rest are decoded and verified here. Commits run one at a time
   * (consensus and block sync may both commit): each waits for the one before, then checks
   * its height (`CHAIN_NOT_NEXT_HEIGHT` if that one committed it). The head changes only
   * at the end, with the store, so readers see the previous block until then.
   */
  commit(
    block: Block,
    certificate: CommitCertificate,
    verified: (hash: string) => { readonly tx: SignedTx; readonly sender: string } | undefined = () =>
      undefined,
    /** The block's transactions already decoded, hashed and verified, in block order (the proposer has them). */
    prepared?: readonly BlockTx[],
  ): Promise<CommittedBlock> {
    return this.commits.run(() => this.commitNext(block, certificate, verified, prepared));
  }

  private async commitNext(
    block: Block,
    certificate: CommitCertificate,
    verified: (hash: string) => { readonly tx: SignedTx; readonly sender: string } | undefined,
    prepared: readonly BlockTx[] | undefined,
  ): Promise<CommittedBlock> {
    if (block.header.height !== this.height + 1n) {
      throw new PujiangError<ChainErrorCode>(
        'CHAIN_NOT_NEXT_HEIGHT',
        `cannot commit height ${block.header.height} at ${this.height}`,
        { height: String(block.header.height), committed: String(this.height) },
      );
    }
    const algorithm = this.genesis.chainHash;
    const checked = new Set<string>();
    const usePrepared =
      prepared !== undefined &&
      prepared.length === block.txs.length &&
      prepared.every((t, i) => t.wire === block.txs[i]);
    if (usePrepared) for (const t of prepared) checked.add(t.hash);
    const txs: readonly BlockTx[] = usePrepared
      ? prepared
      : block.txs.map((wire) => {
          const txHash = bytesToHex(hash(algorithm, wire));
          const known = verified(txHash);
          if (!known) return { tx: decodeTx(wire), wire, hash: txHash };
          checked.add(txHash);
          return { tx: known.tx, wire, hash: txHash, sender: known.sender };
        });
    const parentRoot = this.stateRoot;
    const result = await this.executor.executeBlock(
      parentRoot,
      block.header.height,
      txs,
      (h) => checked.has(h),
      block.header.time,
      this.config().limits.maxBlockGas,
    );
    const height = block.header.height;
    const hashHex = blockHash(algorithm, block.header);
    const txIndex: Record<string, Uint8Array> = {};
    txs.forEach((t, i) => {
      txIndex[t.hash] = concatBytes(encodeU64(height), encodeU64(BigInt(i)));
    });
    const receiptLeaves = result.receipts.map(encodeReceipt);
    // The new head is computed in full and written before any field changes, so a failure
    // anywhere leaves this object at the previous height, matching the store.
    const head: Head = {
      height,
      stateRoot: result.root,
      resultsRoot: merkleRoot(algorithm, receiptLeaves),
      lastBlockHash: hexToBytes(hashHex),
      lastBlockTime: block.header.time,
    };
    const key = String(height);
    const { deletes: pruned, lowest } = this.pruneBelow(height);
    const search = searchRows(
      (name) => this.executor.module(name),
      result.receipts,
      { height, time: block.header.time },
      { txs, chainHash: algorithm, txIndexers: this.executor.txIndexers },
    );
    this.persistHead(
      { lowestBodyHeight: encodeU64(lowest) },
      {
        ...search.rows,
        blocks: { [key]: encodeBlock(block) },
        headers: { [key]: encode(BlockHeader, block.header) },
        'block-hashes': { [hashHex]: encodeU64(height) },
        certificates: { [key]: encodeCertificate(certificate) },
        receipts: { [key]: encodeReceiptLeaves(receiptLeaves) },
        'tx-index': txIndex,
      },
      {
        ...pruned,
        ...search.deletes,
        // Candidates of this height and below are settled.
        candidates: this.store.keys('candidates').filter((k) => BigInt(k.slice(0, 20)) <= height),
      },
      head,
    );
    this.executor.advance(parentRoot, head.stateRoot, result.writes);
    Object.assign(this, head);
    if (lowest !== this.lowestBodyHeight) this.proofs.forgetBelow(lowest);
    this.lowestBodyHeight = lowest;
    return { block, hash: hashHex, certificate, txs, receipts: result.receipts };
  }

  block(height: bigint): Block | undefined {
    return this.proofs.remember(`block/${height}`, () => {
      const bytes = this.store.read('blocks', String(height));
      return bytes ? decodeBlock(bytes) : undefined;
    });
  }

  /** Headers are kept even when bodies are pruned, so the chain stays verifiable. */
  header(height: bigint): BlockHeader | undefined {
    const bytes = this.store.read('headers', String(height));
    return bytes ? decode(BlockHeader, bytes) : undefined;
  }

  /** True when the block at `height` was committed but its body has been pruned. */
  isPruned(height: bigint): boolean {
    return height >= 1n && height <= this.height && height < this.lowestBodyHeight;
  }

  /**
   * With `keepBlocks` set, committing height H drops the body of height H - keepBlocks:
   * its transactions, receipts and tx index entries. Headers, certificates and state stay.
   */
  private pruneBelow(height: bigint): { deletes: TableDeletes; lowest: bigint } {
    const keep = BigInt(this.options.keepBlocks ?? 0);
    if (keep <= 0n || height - keep < this.lowestBodyHeight)
      return { deletes: {}, lowest: this.lowestBodyHeight };
    const blocks: string[] = [];
    const txIndex: string[] = [];
    // Normally one height per commit; more when keepBlocks was lowered since the last run.
    for (let h = this.lowestBodyHeight; h <= height - keep; h++) {
      const old = this.block(h);
      if (old) for (const wire of old.txs) txIndex.push(bytesToHex(hash(this.genesis.chainHash, wire)));
      blocks.push(String(h));
    }
    return { deletes: { blocks, receipts: blocks, 'tx-index': txIndex }, lowest: height - keep + 1n };
  }

  heightOfBlock(hashHex: string): bigint | undefined {
    const bytes = this.store.read('block-hashes', hashHex);
    return bytes ? decodeU64(bytes) : undefined;
  }

  certificate(height: bigint): CommitCertificate | undefined {
    const bytes = this.store.read('certificates', String(height));
    return bytes ? decodeCertificate(bytes) : undefined;
  }

  receipts(height: bigint): Receipt[] | undefined {
    return this.proofs.remember(`receipts/${height}`, () => {
      const bytes = this.store.read('receipts', String(height));
      return bytes ? decodeReceipts(bytes) : undefined;
    });
  }

  /** Where a committed transaction is: its height and index in the block. */
  locate(hashHex: string): { height: bigint; index: number } | undefined {
    const bytes = this.store.read('tx-index', hashHex);
    return bytes
      ? { height: decodeU64(bytes.subarray(0, 8)), index: Number(decodeU64(bytes.subarray(8))) }
      : undefined;
  }

  /** Inclusion proof of a block's transaction against that block's header `txRoot`. */
  txProof(block: Block, index: number): MerkleProof {
    return this.proofs.txProof(block.header.height, block.txs, index);
  }

  /** Inclusion proof of a receipt against the next header's `resultsRoot`. */
  receiptProof(receipts: readonly Receipt[], index: number, height: bigint): MerkleProof {
    return this.proofs.receiptProof(height, receipts, index);
  }

  /** A proof of a state key's value (or absence) at a root. */
  proveState(root: Uint8Array, key: Uint8Array): { value: Uint8Array | undefined; proof: StateProof } {
    return { value: this.tree.get(root, key), proof: this.tree.prove(root, key) };
  }

  /** The next nonce of an account in the latest state (the executor keeps the latest values, so this is a map lookup once seen). */
  nonceOf(address: string): bigint {
    return this.executor.nonceOf(this.stateRoot, address);
  }

  /** A module query at a state root (default: after the latest block); `read` observes each key read. */
  query(
    module: string,
    name: string,
    params: unknown,
    root: Uint8Array = this.stateRoot,
    onRead?: (key: Uint8Array, value: Uint8Array | undefined) => void,
  ): unknown {
    return this.executor.query(root, module, name, params, onRead);
  }

  /**
   * Runs a module's search over its index (keys written from committed events) with reads
   * of the latest state. Unproven: a client proves each hit with a proven query.
   */
  search(module: string, name: string, params: unknown): unknown {
    const owner = this.executor.module(module);
    const search = owner?.searches && Object.hasOwn(owner.searches, name) ? owner.searches[name] : undefined;
    if (!search)
      throw new PujiangError('QUERY_UNKNOWN', `unknown search ${module}/${name}`, { module, name });
    if (typeof params !== 'object' || params === null || Array.isArray(params))
      throw new PujiangError(search.invalidParams, 'search parameters must be an object', { module, name });
    const typed = parseParams(search.params, params as Record<string, string>, search.invalidParams);
    const scan = (start: string, end: string, limit: number) => this.scanIndex(module, start, end, limit);
    return search.run(scan, this.executor.reader(this.stateRoot, module), typed);
  }

  /** Keys of a module's search index in [start, end) (module-relative), at most `limit`. */
  scanIndex(module: string, start: string, end: string, limit: number): string[] {
    const prefix = searchKey(module, '');
    return this.store.range('search', prefix + start, prefix + end, limit).map((k) => k.slice(prefix.length));
  }

  /** Closes the store once a commit in progress (and any queued) has finished. */
  async close(): Promise<void> {
    await this.commits.idle();
    await this.store.close();
  }
}
