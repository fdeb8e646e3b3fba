import { invalidArgument, listArgument, objectArgument } from '@pujiang/module-kit';
import type { Receipt } from '@pujiang/protocol';
import { EVM_MODULE } from '../formats.js';
import { type Hex, ox } from '../verify/arguments.js';

/** A contract's log as Ethereum tools take it (viem's `decodeEventLog`, ethers' `Interface.parseLog`). */
export interface EvmLog {
  readonly address: Hex;
  readonly topics: Hex[];
  readonly data: Hex;
}

const HEX = /^([0-9a-f]{2})*$/;

/**
 * The contract logs of a receipt, in order: each `evm/log` event's `address`, `topics`
 * (comma-joined words) and `data` (in chunks `data`, `data1`, ... of 512 bytes) put back
 * together. Events of other modules are skipped.
 */
export function evmLogsOf(receipt: Pick<Receipt, 'events'>): EvmLog[] {
  const events = listArgument(objectArgument(receipt, 'receipt').events, 'receipt.events');
  const logs: EvmLog[] = [];
  for (const [i, event] of events.entries()) {
    if (event?.module !== EVM_MODULE || event.type !== 'log') continue;
    const a = (event.attributes ?? {}) as Record<string, string | undefined>;
    const topics = a.topics === undefined || a.topics === '' ? [] : a.topics.split(',');
    let data = a.data ?? '';
    for (let n = 1; a[`data${n}`] !== undefined; n++) data += a[`data${n}`];
    if (
      typeof a.address !== 'string' ||
      !/^[0-9a-f]{40}$/.test(a.address) ||
      !topics.every((t) => /^[0-9a-f]{64}$/.test(t)) ||
      !HEX.test(data)
    )
      throw invalidArgument(`receipt.events[${i}] is not an evm log`, `receipt.events[${i}]`);
    logs.push({ address: ox(a.address), topics: topics.map(ox), data: ox(data) });
  }
  return logs;
}
