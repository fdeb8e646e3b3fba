export { currencyDecimals, knownCurrencies } from './currencies.js';
export { ISO20022_INVALID } from './errors.js';
export {
  formatIso20022,
  formatPacs008,
  formatPacs009,
  parseIso20022,
  parsePacs008,
  parsePacs009,
} from './messages.js';
export type {
  Account,
  Amount,
  Charge,
  ChargeBearer,
  ClearingSystem,
  CustomerCreditTransfer,
  FinancialInstitution,
  GroupHeader,
  InstitutionCreditTransfer,
  Iso20022Message,
  Pacs008Message,
  Pacs009Message,
  Party,
  PaymentIdentification,
  PostalAddress,
  SettlementMethod,
} from './model.js';
export { PACS008_NAMESPACE, PACS009_NAMESPACE } from './schema.js';
export { ISO20022_MAX_BYTES } from './xml-read.js';
