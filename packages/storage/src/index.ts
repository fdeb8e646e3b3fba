export type { StorageErrorCode } from './chain-store.js';
export { ChainStore } from './chain-store.js';
