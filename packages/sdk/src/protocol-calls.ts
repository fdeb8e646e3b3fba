import { CodecError } from '@pujiang/codec';
import type { HashAlgorithm } from '@pujiang/crypto';
import { chainHashArgument, invalidArgument, objectArgument } from '@pujiang/module-kit';
import { txHash as protocolTxHash, type SignedTx } from '@pujiang/protocol';

export { decodeTx, parseGenesis, verifyTxSignature } from '@pujiang/protocol';

/** A signed transaction's id (hex) under the chain's hash; a malformed one names `tx`. */
export function txHash(algorithm: HashAlgorithm, tx: SignedTx): string {
  chainHashArgument(algorithm, 'algorithm');
  objectArgument(tx, 'tx');
  try {
    return protocolTxHash(algorithm, tx);
  } catch (error) {
    if (error instanceof CodecError)
      throw invalidArgument(`tx is not a signed transaction: ${error.message}`, 'tx');
    throw error;
  }
}
