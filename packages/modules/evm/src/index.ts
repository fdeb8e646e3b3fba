// `@pujiang/module-evm`: the module's formats and query contracts (browser-safe).
export type { ChainAddressOf } from './formats.js';
export { EVM_MODULE, EvmCall, evmAddressOf, NATIVE_CALL_TAG, ox } from './formats.js';
export { AccountQuery, CodeQuery, StorageQuery } from './schemas.js';

/** The hardfork whose rules the EVM module runs. */
export const EVM_HARDFORK_NAME = 'cancun';
