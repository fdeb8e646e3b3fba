// `@pujiang/module-bank`: its formats (browser-safe). The chain module is `./chain`, client
// calls `./client`, offline verification `./verify`.

export { amountArgument, positiveAmount } from './amount-arguments.js';
export type { BankMint as BankMintMessage, BankTransfer as BankTransferMessage } from './formats.js';
export {
  BANK_MODULE,
  BalanceQuery,
  BankMint,
  BankSend,
  BankTransfer,
  balanceKey,
  balanceStateKey,
  DENOM,
  DenomBalanceQuery,
  DenomQuery,
  DenomRecord,
  decodeAmount,
  denomBalanceKey,
  denomBalanceStateKey,
  denomKey,
  encodeAmount,
  HOLD_ID,
  HoldQuery,
  HoldRecord,
  holdKey,
  MAX_AMOUNT,
  MINTER_KEY,
  MinterQuery,
  moduleAccount,
  NATIVE_DENOM,
} from './formats.js';
