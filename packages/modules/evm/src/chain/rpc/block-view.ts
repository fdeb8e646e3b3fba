import { deriveAddress } from '@pujiang/crypto';
import type { RouteHost } from '@pujiang/module-kit';
import {
  decodeEthereumTx,
  decodeTx,
  ETHEREUM_TX_VERSION,
  type EthereumTx,
  type Receipt,
  type SignedTx,
  senderKey,
} from '@pujiang/protocol';
import { bytesToHex } from '@pujiang/types';
import { EVM_MODULE, evmAddressOf } from '../../formats.js';

/** One EVM transaction of a block, as the Ethereum views need it. */
export interface EvmTxInBlock {
  /** Its index among the block's EVM transactions (Ethereum's `transactionIndex`). */
  readonly ethIndex: number;
  /** Its index among all the block's transactions (the chain's). */
  readonly chainIndex: number;
  readonly chainHash: string;
  /** Keccak of the raw bytes for an Ethereum-signed one; the chain hash for a native one. */
  readonly hash: string;
  readonly tx: SignedTx;
  /** The Ethereum transaction (undefined for a native call). */
  readonly eth: EthereumTx | undefined;
  readonly from: string;
  readonly receipt: Receipt;
  /** Gas used by the block's EVM transactions before this one. */
  readonly gasBefore: number;
  /** Logs of the block's EVM transactions before this one. */
  readonly logsBefore: number;
}

export interface EvmBlock {
  readonly height: bigint;
  readonly hash: string;
  readonly parentHash: string;
  readonly time: bigint;
  readonly stateRoot: string;
  readonly txRoot: string;
  readonly resultsRoot: string;
  readonly txs: readonly EvmTxInBlock[];
  readonly gasUsed: number;
}

const cache = new Map<string, EvmBlock>();
const CACHE_BLOCKS = 256;

/** A committed block's EVM transactions with their receipts (undefined if the block is not stored). */
export function evmBlock(host: RouteHost, height: bigint): EvmBlock | undefined {
  if (height === 0n) return genesisBlock(host);
  const hash = host.blocks.hash(height);
  const header = host.blocks.header(height);
  if (hash === undefined || header === undefined) return undefined;
  const key = `${host.chainId}/${hash}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const body = host.blocks.body(height);
  const receipts = host.blocks.receipts(height);
  if (body === undefined || receipts === undefined) return undefined;
  const txs: EvmTxInBlock[] = [];
  let gas = 0;
  let logs = 0;
  body.txs.forEach((wire, chainIndex) => {
    let tx: SignedTx;
    try {
      tx = decodeTx(wire);
    } catch {
      return; // failed in execution as undecodable: no EVM transaction
    }
    if (tx.body.module !== EVM_MODULE) return;
    const receipt = receipts[chainIndex]!;
    const eth = tx.version === ETHEREUM_TX_VERSION ? decodeEthereumTx(tx.body.payload) : undefined;
    const key = senderKey(tx.body);
    const chainAddress = bytesToHex(deriveAddress(host.chainHash, key));
    txs.push({
      ethIndex: txs.length,
      chainIndex,
      chainHash: receipt.txHash,
      hash: eth ? bytesToHex(eth.hash) : receipt.txHash,
      tx,
      eth,
      from: evmAddressOf(key, chainAddress),
      receipt,
      gasBefore: gas,
      logsBefore: logs,
    });
    gas += receipt.gasUsed;
    logs += receipt.events.filter((e) => e.module === EVM_MODULE && e.type === 'log').length;
  });
  const block: EvmBlock = {
    height,
    hash,
    parentHash: bytesToHex(header.previousHash),
    time: header.time,
    stateRoot: bytesToHex(header.stateRoot),
    txRoot: bytesToHex(header.txRoot),
    resultsRoot: bytesToHex(header.resultsRoot),
    txs,
    gasUsed: gas,
  };
  if (cache.size >= CACHE_BLOCKS) cache.delete(cache.keys().next().value!);
  cache.set(key, block);
  return block;
}

const ZERO = '0'.repeat(64);

/**
 * Block 0 for tools that ask for `earliest`: the chain stores no block at height 0, so its
 * view is what block 1 says of it: the hash block 1 names as its parent (zero), and the
 * state after it (block 1's state root). The genesis has no time: 0.
 */
function genesisBlock(host: RouteHost): EvmBlock | undefined {
  const first = host.blocks.header(1n);
  if (first === undefined) return undefined;
  return {
    height: 0n,
    hash: bytesToHex(first.previousHash),
    parentHash: ZERO,
    time: 0n,
    stateRoot: bytesToHex(first.stateRoot),
    txRoot: ZERO,
    resultsRoot: ZERO,
    txs: [],
    gasUsed: 0,
  };
}
