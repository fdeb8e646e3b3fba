export type { SdkErrorCode } from '@pujiang/module-kit';
export { ApiError, sdkError } from '@pujiang/module-kit';

export type { VerificationCheck } from '@pujiang/verify';
export { parseFor, VerificationError } from '@pujiang/verify';
