import { invalidArgument, objectArgument } from '@pujiang/module-kit';
import type { TxResponse } from '@pujiang/protocol';
import {
  type CertifiedHeader,
  type CommittedTxProof,
  VerificationError,
  type VerifiedTransaction,
  verifyTransaction as verifyCommitted,
} from '@pujiang/verify';
import { sdkError } from '../errors.js';

/** The proofs of a committed transaction from the API's answer; a pending one is `SDK_TX_PENDING`. */
export function committedTxProof(response: TxResponse): CommittedTxProof {
  if (objectArgument(response, 'response').status !== 'committed' && response.status !== 'pending')
    throw invalidArgument('response must be a transaction as GET /v1/txs/{hash} answers it', 'response');
  const hash = String(response.hash).toLowerCase();
  if (response.status !== 'committed')
    throw sdkError('SDK_TX_PENDING', `transaction ${hash} is not in a block yet`, { hash });
  const { height, index, proof, receipt } = response;
  if (height === undefined || index === undefined || proof === undefined)
    throw new VerificationError('tx-inclusion', 'a committed transaction without height, index or proof', {
      hash,
    });
  const committed = { hash: response.hash, raw: response.raw, height, index, proof };
  return receipt === undefined ? committed : { ...committed, receipt };
}

/**
 * Checks a committed transaction (as `GET /v1/txs/{hash}` answers, or its proofs alone)
 * against certified headers; see `@pujiang/verify`'s `verifyTransaction`.
 */
export function verifyTransaction(
  response: TxResponse | CommittedTxProof,
  header: CertifiedHeader,
  nextHeader?: CertifiedHeader,
): VerifiedTransaction {
  const r = objectArgument(response, 'response');
  return verifyCommitted('status' in r ? committedTxProof(r) : r, header, nextHeader);
}
