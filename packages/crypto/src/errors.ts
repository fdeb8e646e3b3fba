import { PujiangError } from '@pujiang/types';

export type CryptoErrorCode =
  | 'CRYPTO_UNKNOWN_SUITE'
  | 'CRYPTO_UNKNOWN_HASH'
  | 'CRYPTO_INVALID_PUBLIC_KEY'
  | 'CRYPTO_INVALID_SECRET_KEY'
  | 'CRYPTO_INVALID_SIGNATURE_ENCODING'
  | 'CRYPTO_INVALID_SIGNATURE'
  | 'CRYPTO_SUITE_MISMATCH'
  | 'CRYPTO_INVALID_PEM'
  | 'CRYPTO_CERTIFICATE_INVALID'
  | 'CRYPTO_CSR_INVALID'
  | 'CRYPTO_CSR_SIGNATURE'
  | 'CRYPTO_NOT_RECIPIENT'
  | 'CRYPTO_ENVELOPE_RECIPIENTS'
  | 'CRYPTO_INVALID_JWK'
  | 'CRYPTO_UNSUPPORTED_FORMAT'
  | 'CRYPTO_INVALID_KEY_LENGTH'
  | 'CRYPTO_INVALID_NONCE'
  | 'CRYPTO_MESSAGE_TOO_LONG'
  | 'CRYPTO_DECRYPT_FAILED'
  | 'CRYPTO_INVALID_INPUT'
  | 'CRYPTO_INVALID_MERKLE_INDEX'
  | 'CRYPTO_POOL_CLOSED'
  | 'CRYPTO_POOL_WORKER_FAILED';

export class CryptoError extends PujiangError<CryptoErrorCode> {
  constructor(code: CryptoErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(code, message, details);
    this.name = 'CryptoError';
  }
}
