import type { RouteHost } from '@pujiang/module-kit';
import { evmBlock } from './block-view.js';
import type { RpcBudget } from './budget.js';
import { invalidParams, RPC, RpcError } from './errors.js';
import { type EthLog, txLogs } from './eth-json.js';
import { address, blockTag, hash32 } from './params.js';

/** At most this many blocks per `eth_getLogs` (EIP-1474's limit-exceeded beyond). */
export const MAX_LOG_BLOCKS = 2_000;
/** At most this many logs per answer. */
export const MAX_LOGS = 10_000;

type TopicFilter = (string | null | string[])[];

function topicsOf(value: unknown): TopicFilter {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.length > 4) throw invalidParams('topics: at most 4 positions');
  return value.map((t, i) => {
    if (t === null) return null;
    if (Array.isArray(t)) return t.map((x) => `0x${hash32(x, `topics[${i}]`)}`);
    return `0x${hash32(t, `topics[${i}]`)}`;
  });
}

function matches(log: EthLog, addresses: Set<string> | undefined, topics: TopicFilter): boolean {
  if (addresses && !addresses.has(log.address)) return false;
  return topics.every((want, i) => {
    if (want === null) return true;
    const have = log.topics[i];
    if (have === undefined) return false;
    return Array.isArray(want) ? want.includes(have) : want === have;
  });
}

/** The address and topics part of a filter, checked, as a predicate on logs. */
export function logFilter(filter: Record<string, unknown>): (log: EthLog) => boolean {
  const wanted = filter.address;
  const addresses =
    wanted === undefined || wanted === null
      ? undefined
      : new Set(
          (Array.isArray(wanted) ? wanted : [wanted]).map((a, i) => `0x${address(a, `address[${i}]`)}`),
        );
  const topics = topicsOf(filter.topics);
  return (log) => matches(log, addresses, topics);
}

/** `eth_getLogs`: a block range (or one block by hash), addresses and topic positions. */
export function getLogs(host: RouteHost, filter: Record<string, unknown>, budget: RpcBudget): EthLog[] {
  const head = host.height();
  let from: bigint;
  let to: bigint;
  if (filter.blockHash !== undefined) {
    if (filter.fromBlock !== undefined || filter.toBlock !== undefined)
      throw invalidParams('blockHash excludes fromBlock and toBlock');
    const height = host.blocks.heightOf(hash32(filter.blockHash, 'blockHash'));
    if (height === undefined) throw new RpcError(RPC.RESOURCE_NOT_FOUND, 'unknown block');
    from = to = height;
  } else {
    from = blockTag(filter.fromBlock, head, 'fromBlock');
    to = blockTag(filter.toBlock, head, 'toBlock');
  }
  if (to > head) to = head;
  if (from < 1n) from = 1n;
  if (to - from + 1n > BigInt(MAX_LOG_BLOCKS))
    throw new RpcError(RPC.LIMIT_EXCEEDED, `at most ${MAX_LOG_BLOCKS} blocks per query`);
  const matches = logFilter(filter);
  const out: EthLog[] = [];
  for (let h = from; h <= to; h++) {
    const block = evmBlock(host, h);
    if (block === undefined) continue;
    budget.spendTransactions(block.txs.length);
    for (const t of block.txs) {
      if (t.receipt.code !== 'OK') continue;
      for (const log of txLogs(block, t)) {
        if (!matches(log)) continue;
        budget.spendLog();
        if (out.length >= MAX_LOGS)
          throw new RpcError(RPC.LIMIT_EXCEEDED, `more than ${MAX_LOGS} logs: narrow the query`);
        out.push(log);
      }
    }
  }
  return out;
}
