import { PujiangError } from '@pujiang/types';

/** Stable codes for every way a value or a byte string can be refused. */
export type CodecErrorCode =
  | 'CODEC_UNEXPECTED_END'
  | 'CODEC_TRAILING_BYTES'
  | 'CODEC_NON_MINIMAL_LENGTH'
  | 'CODEC_LENGTH_OVERFLOW'
  | 'CODEC_LENGTH_EXCEEDS_LIMIT'
  | 'CODEC_INVALID_BOOL'
  | 'CODEC_INVALID_OPTION_TAG'
  | 'CODEC_UNKNOWN_VARIANT'
  | 'CODEC_INVALID_UTF8'
  | 'CODEC_UNSORTED_MAP'
  | 'CODEC_INVALID_VALUE';

export class CodecError extends PujiangError<CodecErrorCode> {
  constructor(code: CodecErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(code, message, details);
    this.name = 'CodecError';
  }
}
