export type { StorageErrorCode, Table, TableDeletes, TableWrites } from './chain-store.js';
export { ChainStore } from './chain-store.js';
