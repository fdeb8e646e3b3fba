// `@pujiang/module-data/service`: the agency's data service (`pujiang data serve`).
export type {
  CheckedAccess,
  ConsentReport,
  DataServiceOptions,
  Delivery,
  DeliveryAnswer,
} from './data-service.js';
export { DataService, DataServiceError } from './data-service.js';
export type { LoggedDelivery } from './delivery-log.js';
export { DeliveryLog } from './delivery-log.js';
export { DataServiceServer, memberLookup } from './http.js';
export { DatasetRecords } from './records.js';
export type { CommittedTransaction } from './steward-transactions.js';
export { StewardTransactions } from './steward-transactions.js';
