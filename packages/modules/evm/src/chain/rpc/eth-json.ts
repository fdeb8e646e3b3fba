import { Bloom } from '@ethereumjs/vm';
import { decode } from '@pujiang/codec';
import type { ChainEvent } from '@pujiang/protocol';
import { hexToBytes } from '@pujiang/types';
import { EVM_MODULE, EvmCall, ox } from '../../formats.js';
import { toBigInt } from '../keys.js';
import type { EvmBlock, EvmTxInBlock } from './block-view.js';
import { hexQ } from './params.js';

const ZERO32 = ox('0'.repeat(64));
const ZERO_ADDRESS = ox('0'.repeat(40));
/** Keccak-256 of RLP([]): the uncles hash of a block without uncles. */
const EMPTY_UNCLES = '0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347';

export interface EthLog {
  address: string;
  topics: string[];
  data: string;
  blockNumber: string;
  blockHash: string;
  transactionHash: string;
  transactionIndex: string;
  logIndex: string;
  removed: false;
}

/** The data of a `log` event: its chunks in order. */
function logData(attributes: Readonly<Record<string, string>>): string {
  let data = attributes.data ?? '';
  for (let i = 1; attributes[`data${i}`] !== undefined; i++) data += attributes[`data${i}`];
  return data;
}

const isLog = (e: ChainEvent): boolean => e.module === EVM_MODULE && e.type === 'log';

export function txLogs(block: EvmBlock, t: EvmTxInBlock): EthLog[] {
  return t.receipt.events.filter(isLog).map((e, i) => ({
    address: ox(e.attributes.address!),
    topics: e.attributes.topics ? e.attributes.topics.split(',').map(ox) : [],
    data: ox(logData(e.attributes)),
    blockNumber: hexQ(block.height),
    blockHash: ox(block.hash),
    transactionHash: ox(t.hash),
    transactionIndex: hexQ(t.ethIndex),
    logIndex: hexQ(t.logsBefore + i),
    removed: false,
  }));
}

function bloomOf(logs: readonly EthLog[]): string {
  const bloom = new Bloom();
  for (const log of logs) {
    bloom.add(hexToBytes(log.address.slice(2)));
    for (const topic of log.topics) bloom.add(hexToBytes(topic.slice(2)));
  }
  return ox(Buffer.from(bloom.bitvector).toString('hex'));
}

/** What the transaction says: recipient, value, input (an Ethereum one's fields, or a native call's). */
function fields(t: EvmTxInBlock): { to: string | null; value: bigint; input: Uint8Array } {
  if (t.eth)
    return {
      to: t.eth.to ? ox(Buffer.from(t.eth.to).toString('hex')) : null,
      value: t.eth.value,
      input: t.eth.data,
    };
  try {
    const call = decode(EvmCall, t.tx.body.payload.subarray(1));
    return {
      to: call.to.length === 0 ? null : ox(Buffer.from(call.to).toString('hex')),
      value: toBigInt(call.value),
      input: call.data,
    };
  } catch {
    return { to: null, value: 0n, input: new Uint8Array(0) };
  }
}

export function ethTransaction(block: EvmBlock, t: EvmTxInBlock): Record<string, unknown> {
  const { to, value, input } = fields(t);
  const eth = t.eth;
  const common = {
    hash: ox(t.hash),
    nonce: hexQ(t.tx.body.nonce),
    blockHash: ox(block.hash),
    blockNumber: hexQ(block.height),
    transactionIndex: hexQ(t.ethIndex),
    from: ox(t.from),
    to,
    value: hexQ(value),
    gas: hexQ(t.tx.body.gasLimit),
    input: ox(Buffer.from(input).toString('hex')),
  };
  if (eth === undefined) return { ...common, type: '0x0', gasPrice: '0x0', v: '0x0', r: '0x0', s: '0x0' };
  const signature = { r: hexQ(eth.r), s: hexQ(eth.s), v: hexQ(eth.v) };
  if (eth.type === 0)
    return {
      ...common,
      ...signature,
      type: '0x0',
      gasPrice: hexQ(eth.maxFeePerGas),
      chainId: hexQ(eth.chainId),
    };
  const accessList = eth.accessList.map((a) => ({
    address: ox(Buffer.from(a.address).toString('hex')),
    storageKeys: a.storageKeys.map((k) => ox(Buffer.from(k).toString('hex'))),
  }));
  return {
    ...common,
    ...signature,
    yParity: hexQ(eth.v),
    type: hexQ(eth.type),
    chainId: hexQ(eth.chainId),
    accessList,
    // No base fee: the price paid is the tip, capped by the fee cap.
    gasPrice: hexQ(eth.type === 2 ? eth.maxPriorityFeePerGas : eth.maxFeePerGas),
    ...(eth.type === 2
      ? { maxFeePerGas: hexQ(eth.maxFeePerGas), maxPriorityFeePerGas: hexQ(eth.maxPriorityFeePerGas) }
      : {}),
  };
}

export function ethReceipt(block: EvmBlock, t: EvmTxInBlock): Record<string, unknown> {
  const logs = txLogs(block, t);
  const executed = t.receipt.events.find((e) => e.module === EVM_MODULE && e.type === 'executed');
  const created = executed?.attributes.created;
  const { to } = fields(t);
  const eth = t.eth;
  return {
    transactionHash: ox(t.hash),
    transactionIndex: hexQ(t.ethIndex),
    blockHash: ox(block.hash),
    blockNumber: hexQ(block.height),
    from: ox(t.from),
    to,
    cumulativeGasUsed: hexQ(t.gasBefore + t.receipt.gasUsed),
    gasUsed: hexQ(t.receipt.gasUsed),
    effectiveGasPrice: hexQ(
      eth === undefined ? 0n : eth.type === 2 ? eth.maxPriorityFeePerGas : eth.maxFeePerGas,
    ),
    contractAddress: created ? ox(created) : null,
    logs,
    logsBloom: bloomOf(logs),
    type: hexQ(eth?.type ?? 0),
    status: t.receipt.code === 'OK' ? '0x1' : '0x0',
  };
}

export function ethBlock(block: EvmBlock, fullTxs: boolean, gasLimit: bigint): Record<string, unknown> {
  const logs = block.txs.flatMap((t) => txLogs(block, t));
  return {
    number: hexQ(block.height),
    hash: ox(block.hash),
    parentHash: ox(block.parentHash),
    nonce: '0x0000000000000000',
    sha3Uncles: EMPTY_UNCLES,
    logsBloom: bloomOf(logs),
    transactionsRoot: ox(block.txRoot),
    stateRoot: ox(block.stateRoot),
    receiptsRoot: ox(block.resultsRoot),
    miner: ZERO_ADDRESS,
    difficulty: '0x0',
    totalDifficulty: '0x0',
    extraData: '0x',
    size: hexQ(0),
    gasLimit: hexQ(gasLimit),
    gasUsed: hexQ(block.gasUsed),
    timestamp: hexQ(block.time / 1000n),
    transactions: block.txs.map((t) => (fullTxs ? ethTransaction(block, t) : ox(t.hash))),
    uncles: [],
    baseFeePerGas: '0x0',
    mixHash: ZERO32,
    withdrawals: [],
    withdrawalsRoot: ZERO32,
    blobGasUsed: '0x0',
    excessBlobGas: '0x0',
    parentBeaconBlockRoot: ZERO32,
  };
}
