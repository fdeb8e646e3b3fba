export type { SdkErrorCode } from '@pujiang/module-kit';
export {
  ApiError,
  invalidArgument,
  objectArgument,
  sdkError,
  TransactionFailedError,
} from '@pujiang/module-kit';
export type { ErrorDetails } from '@pujiang/types';
export { isPujiangError, PujiangError } from '@pujiang/types';

export type { VerificationCheck } from '@pujiang/verify';
export { parseFor, VerificationError } from '@pujiang/verify';
