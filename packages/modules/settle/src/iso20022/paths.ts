/** Element paths of the two messages, as refusals name them. */
export const PACS008_ROOT = 'Document/FIToFICstmrCdtTrf';
export const PACS009_ROOT = 'Document/FICdtTrf';

export const groupHeaderPath = (root: string): string => `${root}/GrpHdr`;
export const transactionPath = (root: string): string => `${root}/CdtTrfTxInf`;
