export type { BytesErrorCode } from './bytes.js';
export { bytesToHex, compareBytes, concatBytes, equalBytes, hexToBytes, utf8ToBytes } from './bytes.js';
export type { ErrorDetails } from './errors.js';
export { invalidArgument, isPujiangError, PujiangError } from './errors.js';
export { stableStringify } from './stable-json.js';
