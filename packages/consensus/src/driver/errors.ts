import { PujiangError } from '@pujiang/types';

export type ConsensusErrorCode =
  | 'WAL_CORRUPT'
  | 'WAL_IO'
  | 'SIGNER_DOUBLE_SIGN'
  | 'SIGNER_REGRESSION'
  | 'SIGNER_STATE_CORRUPT'
  | 'CONSENSUS_BAD_MESSAGE';

export class ConsensusError extends PujiangError<ConsensusErrorCode> {
  constructor(code: ConsensusErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(code, message, details);
    this.name = 'ConsensusError';
  }
}
