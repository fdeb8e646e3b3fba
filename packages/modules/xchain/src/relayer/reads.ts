import type { ChainClient, RequestOptions } from '@pujiang/module-kit';
import { moduleKey } from '@pujiang/protocol';
import { hexToBytes, utf8ToBytes } from '@pujiang/types';
import type { Packet, Port } from '../channel-formats.js';
import { XCHAIN_MODULE } from '../names.js';

/** The packet as the chain stores it, from its query's JSON. */
export function packetFromJson(p: {
  sequence: string;
  sourcePort: Port;
  sourceChannel: string;
  destPort: Port;
  destChannel: string;
  data: string;
  timeoutHeight: string;
  timeoutTime: string;
}): Packet {
  return {
    ...p,
    sequence: BigInt(p.sequence),
    data: hexToBytes(p.data),
    timeoutHeight: BigInt(p.timeoutHeight),
    timeoutTime: BigInt(p.timeoutTime),
  };
}

/** A read of the counterparty's xchain record `key` under header `height`, as the messages carry it. */
export async function readXchainProof(
  chain: ChainClient,
  key: string,
  height: number,
  options?: RequestOptions,
): Promise<Uint8Array> {
  const s = await chain.getState(moduleKey(XCHAIN_MODULE, key), height, options);
  return utf8ToBytes(JSON.stringify({ key: s.key, value: s.value, proof: s.proof }));
}
