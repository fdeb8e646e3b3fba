// `@pujiang/module-confidential/client`: the confidential token from an application.
export type { ConfidentialWallet } from './wallet.js';
export {
  auditInbox,
  mintConfidential,
  newConfidentialWallet,
  parseConfidentialWallet,
  registerConfidentialViewKey,
  releaseProver,
  sendConfidential,
  syncWallet,
  WALLET_FORMAT,
} from './wallet.js';
