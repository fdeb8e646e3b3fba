import { decodeU64, type ProvenQueryResponse } from '@pujiang/protocol';
import { bytesToHex, invalidArgument } from '@pujiang/types';
import { type CertifiedHeader, VerificationError, verifyProvenQuery } from '@pujiang/verify';
import { balanceStateKey } from './formats.js';

export interface VerifiedBalance {
  readonly address: string;
  readonly balance: bigint;
  readonly height: number;
}

/**
 * Checks a proven `bank/balance` query: the address's balance key is among the proven
 * reads and the answer is that value (a big-endian u64; absent is 0), for that address.
 */
export function verifyBalanceQuery(
  response: ProvenQueryResponse,
  header: CertifiedHeader,
  address: string,
): VerifiedBalance {
  if (typeof address !== 'string' || !/^[0-9a-fA-F]{42}$/.test(address))
    throw invalidArgument('address must be 42 hex digits', 'address');
  const addr = address.toLowerCase();
  const key = balanceStateKey(addr);
  const { reads, result } = verifyProvenQuery(response, header, { requiredKeys: [key] });
  const balance = decodeU64(reads.get(bytesToHex(key)));
  const r = result as { address?: unknown; balance?: unknown } | null;
  if (typeof r !== 'object' || r === null || r.address !== addr || r.balance !== String(balance))
    throw new VerificationError('result-mismatch', 'the answer is not the proven balance', {
      address: addr,
      proven: String(balance),
      answered: typeof r === 'object' && r !== null ? String(r.balance) : String(r),
    });
  return { address: addr, balance, height: response.height };
}
