// `@pujiang/module-bank`: its formats (browser-safe). The chain module is `./chain`, client
// calls `./client`, offline verification `./verify`.
export type { BankMint as BankMintMessage, BankTransfer as BankTransferMessage } from './formats.js';
export {
  BANK_MODULE,
  BalanceQuery,
  BankMint,
  BankTransfer,
  balanceKey,
  balanceStateKey,
  MINTER_KEY,
  MinterQuery,
} from './formats.js';
