export { Block, BlockHeader, blockHash, decodeBlock, encodeBlock, txRoot, ZERO_HASH } from './chain/block.js';
export type { Genesis, GenesisValidator } from './chain/chain.js';
export { Chain } from './chain/chain.js';
export { decodeCertificate, decodeReceipts, encodeCertificate, encodeReceipts } from './chain/records.js';
export type { ExecutorOptions, Receipt } from './execution/executor.js';
export { Executor } from './execution/executor.js';
export { GAS, GasMeter } from './execution/gas.js';
export type { ChainEvent, ChainModule, MessageContext, MessageHandler } from './execution/module.js';
export { defineMessage, moduleKey } from './execution/module.js';
export { StateOverlay } from './execution/state-overlay.js';
export type { MempoolErrorCode, MempoolOptions } from './mempool/mempool.js';
export { Mempool, senderId } from './mempool/mempool.js';
export type { BankGenesis } from './modules/bank.js';
export { bank } from './modules/bank.js';
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
export type { ValidatorNodeOptions } from './validator-node.js';
export { ValidatorNode } from './validator-node.js';
