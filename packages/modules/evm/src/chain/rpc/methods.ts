import type { RouteHost } from '@pujiang/module-kit';
import { decodeEthereumTx, ETHEREUM_TX_VERSION, ethereumChainId, ethereumTxHash } from '@pujiang/protocol';
import { bytesToHex, concatBytes, isPujiangError } from '@pujiang/types';
import { ox } from '../../formats.js';
import { accountKey, codeKey, decodeAccount, storageKey } from '../keys.js';
import { EVM_BLOCK_GAS_LIMIT } from '../vm.js';
import { evmBlock } from './block-view.js';
import type { RpcBudget } from './budget.js';
import { invalidParams, RPC, RpcError } from './errors.js';
import { ethBlock, ethReceipt, ethTransaction } from './eth-json.js';
import { getLogs } from './logs.js';
import { address, blockTag, bool, data, hash32, hexQ, object, quantity } from './params.js';
import { type CallRequest, estimateGas, failure, simulate } from './simulate.js';
import { chainAddressOf, locateEthTx } from './tx-index.js';

export type Method = (
  host: RouteHost,
  params: readonly unknown[],
  budget: RpcBudget,
) => unknown | Promise<unknown>;

const NO_CODE_HASH = 'c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470';

function stateAt(host: RouteHost, tag: unknown, at: string) {
  const height = blockTag(tag, host.height(), at);
  const state = host.stateAfter(height);
  if (state === undefined) throw new RpcError(RPC.RESOURCE_NOT_FOUND, `block ${height} is not known here`);
  return state;
}

/** At most this many reward percentiles (geth's bound). */
const MAX_PERCENTILES = 100;

function rewardPercentiles(value: unknown): number {
  if (value === undefined || value === null) return 0;
  if (!Array.isArray(value) || value.length > MAX_PERCENTILES)
    throw invalidParams(`params[2]: at most ${MAX_PERCENTILES} reward percentiles`);
  let last = 0;
  for (const p of value) {
    if (typeof p !== 'number' || !(p >= last && p <= 100))
      throw invalidParams('params[2]: increasing numbers in [0, 100]');
    last = p;
  }
  return value.length;
}

/** Values fit their types (a value below 2^256, gas below 2^64), so the interpreter can build the call. */
function callRequest(value: unknown): CallRequest {
  const o = object(value, 'params[0]');
  const input = o.input ?? o.data;
  return {
    ...(o.from === undefined || o.from === null ? {} : { from: address(o.from, 'params[0].from') }),
    ...(o.to === undefined || o.to === null ? {} : { to: address(o.to, 'params[0].to') }),
    data: input === undefined || input === null ? new Uint8Array(0) : data(input, 'params[0].input'),
    value: o.value === undefined || o.value === null ? 0n : quantity(o.value, 'params[0].value', 256),
    ...(o.gas === undefined || o.gas === null ? {} : { gas: quantity(o.gas, 'params[0].gas', 64) }),
  };
}

function blockByHeight(host: RouteHost, height: bigint, full: boolean) {
  const block = evmBlock(host, height);
  return block === undefined ? null : ethBlock(block, full, EVM_BLOCK_GAS_LIMIT);
}

function txAt(host: RouteHost, hash: string) {
  const at = locateEthTx(host, hash);
  if (at === undefined) return undefined;
  const block = evmBlock(host, at.height);
  const t = block?.txs.find((x) => x.chainIndex === at.index);
  return block && t ? { block, t } : undefined;
}

/** A storage slot parameter: a quantity or a 32-byte word. */
function slot(value: unknown): string {
  if (typeof value === 'string' && /^0x[0-9a-fA-F]{1,64}$/.test(value))
    return value.slice(2).toLowerCase().padStart(64, '0');
  throw invalidParams('params[1]: expected a storage slot (hex, at most 32 bytes)');
}

/**
 * The Ethereum JSON-RPC methods Pujiang answers (enough for ethers 6, viem 2 and Hardhat to
 * deploy, call, send, wait and read logs). Blocks are the chain's blocks; their Ethereum
 * transactions are the EVM transactions among theirs.
 */
export const METHODS: Readonly<Record<string, Method>> = {
  web3_clientVersion: () => 'Pujiang/0.1.0',
  eth_chainId: (host) => hexQ(ethereumChainId(host.chainId)),
  net_version: (host) => String(ethereumChainId(host.chainId)),
  net_listening: () => true,
  eth_syncing: () => false,
  eth_accounts: () => [],
  eth_blockNumber: (host) => hexQ(host.height()),
  eth_gasPrice: () => '0x0',
  eth_maxPriorityFeePerGas: () => '0x0',
  eth_feeHistory: (host, [count, newest, percentiles]) => {
    const n = Number(quantity(count, 'params[0]'));
    if (n < 1 || n > 1024) throw invalidParams('params[0]: between 1 and 1024 blocks');
    const last = blockTag(newest, host.height(), 'params[1]');
    const oldest = last - BigInt(n) + 1n > 1n ? last - BigInt(n) + 1n : 1n;
    const blocks = Number(last - oldest + 1n);
    const width = rewardPercentiles(percentiles);
    return {
      oldestBlock: hexQ(oldest),
      baseFeePerGas: Array.from({ length: blocks + 1 }, () => '0x0'),
      gasUsedRatio: Array.from({ length: blocks }, (_, i) => {
        const block = evmBlock(host, oldest + BigInt(i));
        return block === undefined ? 0 : block.gasUsed / Number(EVM_BLOCK_GAS_LIMIT);
      }),
      ...(width > 0
        ? { reward: Array.from({ length: blocks }, () => Array.from({ length: width }, () => '0x0')) }
        : {}),
    };
  },
  eth_getBlockByNumber: (host, [tag, full]) =>
    blockByHeight(
      host,
      blockTag(tag, host.height(), 'params[0]'),
      full === undefined ? false : bool(full, 'params[1]'),
    ),
  eth_getBlockByHash: (host, [hash, full]) => {
    const height = host.blocks.heightOf(hash32(hash, 'params[0]'));
    return height === undefined
      ? null
      : blockByHeight(host, height, full === undefined ? false : bool(full, 'params[1]'));
  },
  eth_getBlockTransactionCountByNumber: (host, [tag]) => {
    const block = evmBlock(host, blockTag(tag, host.height(), 'params[0]'));
    return block === undefined ? null : hexQ(block.txs.length);
  },
  eth_getTransactionCount: (host, [who, tag]) => {
    const evmAddress = address(who, 'params[0]');
    const chainAddress = chainAddressOf(host, evmAddress);
    if (chainAddress !== undefined)
      return hexQ(tag === 'pending' ? host.pendingNonce(chainAddress) : host.committedNonce(chainAddress));
    // Never sent: a contract's nonce (CREATE count), or zero.
    const stored = stateAt(host, tag, 'params[1]').read(accountKey(evmAddress));
    return hexQ(stored === undefined ? 0n : decodeAccount(stored).nonce);
  },
  eth_getBalance: (host, [who, tag]) => {
    const stored = stateAt(host, tag, 'params[1]').read(accountKey(address(who, 'params[0]')));
    return hexQ(stored === undefined ? 0n : decodeAccount(stored).balance);
  },
  eth_getCode: (host, [who, tag]) => {
    const state = stateAt(host, tag, 'params[1]');
    const stored = state.read(accountKey(address(who, 'params[0]')));
    if (stored === undefined) return '0x';
    const codeHash = bytesToHex(decodeAccount(stored).codeHash);
    return codeHash === NO_CODE_HASH
      ? '0x'
      : ox(bytesToHex(state.read(codeKey(codeHash)) ?? new Uint8Array(0)));
  },
  eth_getStorageAt: (host, [who, at, tag]) => {
    const value = stateAt(host, tag, 'params[2]').read(storageKey(address(who, 'params[0]'), slot(at)));
    return ox(bytesToHex(value ?? new Uint8Array(0)).padStart(64, '0'));
  },
  eth_call: async (host, [request, tag], budget) => {
    const run = await simulate(host, callRequest(request), blockTag(tag, host.height(), 'params[1]'), budget);
    failure(run);
    return ox(bytesToHex(run.execResult.returnValue));
  },
  eth_estimateGas: async (host, [request, tag], budget) =>
    hexQ(await estimateGas(host, callRequest(request), blockTag(tag, host.height(), 'params[1]'), budget)),
  eth_sendRawTransaction: async (host, [raw]) => {
    const bytes = data(raw, 'params[0]', 128 * 1024 - 4);
    // Refused before admission: execution would refuse it, after it took a nonce.
    let gasLimit: bigint;
    try {
      gasLimit = decodeEthereumTx(bytes).gasLimit;
    } catch (error) {
      throw new RpcError(RPC.INVALID_INPUT, (error as Error).message);
    }
    if (gasLimit > EVM_BLOCK_GAS_LIMIT)
      throw new RpcError(RPC.INVALID_INPUT, `the gas limit exceeds the block's (${EVM_BLOCK_GAS_LIMIT})`);
    const wire = concatBytes(new Uint8Array([0, 0, 0, ETHEREUM_TX_VERSION]), bytes);
    try {
      await host.submit(wire);
    } catch (error) {
      if (!isPujiangError(error)) throw error;
      throw new RpcError(
        error.code === 'TX_UNDECODABLE' || error.code === 'TX_TOO_LARGE'
          ? RPC.INVALID_INPUT
          : RPC.TRANSACTION_REJECTED,
        `${error.code}: ${error.message}`,
        { code: error.code, ...error.details },
      );
    }
    return ox(ethereumTxHash(bytes));
  },
  eth_getTransactionByHash: (host, [hash]) => {
    const found = txAt(host, hash32(hash, 'params[0]'));
    return found === undefined ? null : ethTransaction(found.block, found.t);
  },
  eth_getTransactionReceipt: (host, [hash]) => {
    const found = txAt(host, hash32(hash, 'params[0]'));
    return found === undefined ? null : ethReceipt(found.block, found.t);
  },
  eth_getLogs: (host, [filter], budget) => getLogs(host, object(filter, 'params[0]'), budget),
};
