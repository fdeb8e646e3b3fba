// `@pujiang/module-privacy/client`: aggregation rounds, Paillier keys, the committee's key
// generation and threshold decryption from an application.

export type { CommitteeJson, EpochJson } from './committee.js';
export {
  answerComplaints,
  badDealers,
  committeeParamValue,
  complainAbout,
  dealingEpoch,
  dealShares,
  deriveShare,
  finalizeEpoch,
  getCommittee,
  registerMemberKey,
} from './committee.js';
export type { PrivacySendParameters } from './common.js';
export type { RequestJson } from './decryption.js';
export {
  finishDecryption,
  getDecryptionRequest,
  requestDecryption,
  submitPartialDecryption,
} from './decryption.js';
export type { MemberState } from './member.js';
export { MEMBER_STATE_FORMAT, newMemberState, parseMemberState } from './member.js';
export type { PaillierKeyFile } from './paillier.js';
export {
  decryptPaillier,
  encryptPaillier,
  generatePaillierKey,
  modulusBytes,
  PAILLIER_KEY_FORMAT,
  parsePaillierKeyFile,
  publishPaillierTotal,
  registerPaillierKey,
} from './paillier.js';
export type { RoundJson } from './rounds.js';
export { closeRound, encryptForRound, getRound, openRound, submitToRound } from './rounds.js';
