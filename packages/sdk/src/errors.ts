export type { CodecErrorCode } from '@pujiang/codec';
export { CodecError } from '@pujiang/codec';
export type { CryptoErrorCode } from '@pujiang/crypto';
export { CryptoError } from '@pujiang/crypto';
export type { SdkErrorCode } from '@pujiang/module-kit';
export {
  ApiError,
  invalidArgument,
  keyPairArgument,
  objectArgument,
  sdkError,
  TransactionFailedError,
} from '@pujiang/module-kit';
export type { ErrorDetails } from '@pujiang/types';
export { isPujiangError, PujiangError } from '@pujiang/types';

export type { VerificationCheck } from '@pujiang/verify';
export { parseFor, VerificationError } from '@pujiang/verify';
