export type { MempoolErrorCode, MempoolOptions } from './mempool/mempool.js';
export { Mempool, senderId } from './mempool/mempool.js';
export type { TxErrorCode } from './tx/transaction.js';
export {
  decodeTx,
  encodeTx,
  MAX_TX_BYTES,
  SignedTx,
  senderKey,
  signTx,
  TxBody,
  txHash,
  txSignBytes,
  verifyTxSignature,
} from './tx/transaction.js';
