import { NATIVE_DENOM } from '@pujiang/module-bank';
import {
  type ChainClient,
  encodePayload,
  hashArgument,
  invalidArgument,
  objectArgument,
  queryTyped,
  type RequestOptions,
  type SendTransactionReturnType,
  stringArgument,
  toU64,
  type U64Like,
} from '@pujiang/module-kit';
import { hexToBytes } from '@pujiang/types';
import { HtlcClaim, HtlcLock, HtlcRefund } from '../htlc-formats.js';
import { htlcQueryContract } from '../htlc-schemas.js';
import { amountArgument } from './amount.js';
import { send, type XchainSendParameters } from './send.js';

/**
 * Hash time-locked contracts from an application: lock funds under SHA-256(preimage) for a
 * receiver until a time-lock, claim them with the preimage, refund them after it. The lock's
 * id is its transaction's hash (`sent.hash`).
 */
function bytesOrHex(value: unknown, parameter: string): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'string' && /^(0x)?([0-9a-fA-F]{2})*$/.test(value))
    return hexToBytes(value.replace(/^0x/, ''));
  throw invalidArgument(`${parameter} must be bytes or hex`, parameter);
}

export function lockHtlc(
  client: ChainClient,
  p: XchainSendParameters & {
    receiver: string;
    denom?: string;
    amount: U64Like;
    /** SHA-256 of the secret preimage (32 bytes or hex). */
    hashlock: Uint8Array | string;
    /** Block time (ms since the epoch) from which the sender may refund. */
    timelock: U64Like;
  },
): Promise<SendTransactionReturnType> {
  objectArgument(p, 'parameters');
  const hashlock = bytesOrHex(p.hashlock, 'hashlock');
  if (hashlock.length !== 32) throw invalidArgument('hashlock is 32 bytes', 'hashlock');
  const payload = encodePayload(HtlcLock, {
    receiver: stringArgument(p.receiver, 'receiver'),
    denom: p.denom === undefined ? NATIVE_DENOM : stringArgument(p.denom, 'denom'),
    amount: String(amountArgument(p.amount)),
    hashlock,
    timelock: toU64(p.timelock, 'timelock'),
  });
  return send(client, p, 'htlcLock', payload);
}

export function claimHtlc(
  client: ChainClient,
  p: XchainSendParameters & { id: string; preimage: Uint8Array | string },
): Promise<SendTransactionReturnType> {
  objectArgument(p, 'parameters');
  const payload = encodePayload(HtlcClaim, {
    id: hexToBytes(hashArgument(p.id, 'id')),
    preimage: bytesOrHex(p.preimage, 'preimage'),
  });
  return send(client, p, 'htlcClaim', payload);
}

export function refundHtlc(
  client: ChainClient,
  p: XchainSendParameters & { id: string },
): Promise<SendTransactionReturnType> {
  objectArgument(p, 'parameters');
  return send(
    client,
    p,
    'htlcRefund',
    encodePayload(HtlcRefund, { id: hexToBytes(hashArgument(p.id, 'id')) }),
  );
}

/** An HTLC's record (null if none); `preimage` once claimed, for the other leg of the exchange. */
export async function getHtlc(client: ChainClient, id: string, options?: RequestOptions) {
  return (await queryTyped(client, htlcQueryContract, { id: hashArgument(id, 'id') }, options)).result.htlc;
}
