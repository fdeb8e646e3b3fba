// `@pujiang/module-evm/verify`: contract storage checked against certified headers (browser-safe).
export type { VerifyStorageSlotParameters, VerifyStorageSlotReturnType } from './storage.js';
export { verifyStorageSlot } from './storage.js';
