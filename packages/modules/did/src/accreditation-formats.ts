import { sha256 } from '@noble/hashes/sha2.js';
import { decode, fixedBytes, type Infer, list, literals, string, struct, u32, u64 } from '@pujiang/codec';
import { HASH_LENGTH } from '@pujiang/crypto';
import { moduleKey, moduleParamKey } from '@pujiang/protocol';
import { bytesToHex, utf8ToBytes } from '@pujiang/types';
import { DID_LIMITS, DID_MODULE } from './formats.js';

/**
 * Accreditation trust chains for mutual recognition across borders: each jurisdiction's root
 * authority (recognised by the consortium through a governance proposal that sets the `did`
 * module's `trustRoots` parameter), accreditation bodies it accredits, and issuers those
 * accredit, each for named credential types and jurisdictions over a validity period.
 */
export const ACCREDITATION_ROLES = ['body', 'issuer'] as const;
export type AccreditationRole = (typeof ACCREDITATION_ROLES)[number];
export const MAX_ACCREDITATIONS_PER_SUBJECT = 64;

const Term = string({ max: 128 });

/** The `trustRoots` parameter: a root DID per jurisdiction (governance's setModuleParam writes it). */
export const TrustRoots = list(
  struct('TrustRoot', { jurisdiction: string({ max: 16 }), root: string({ max: DID_LIMITS.did }) }),
  {
    max: 32,
  },
);
export type TrustRoots = Infer<typeof TrustRoots>;
export const TRUST_ROOTS_PARAM = 'trustRoots';

const ACCREDIT_FIELDS = {
  accreditor: string({ max: DID_LIMITS.did }),
  subject: string({ max: DID_LIMITS.did }),
  role: literals('AccreditationRole', ACCREDITATION_ROLES),
  credentialTypes: list(Term, { max: 16 }),
  jurisdictions: list(string({ max: 16 }), { max: 16 }),
  /** ms since the epoch; `validUntil` 0: open-ended. */
  validFrom: u64,
  validUntil: u64,
};

/** `did/accredit`: `accreditor` (a DID the sender controls) accredits `subject` for these types and jurisdictions. */
export const Accredit = struct('Accredit', ACCREDIT_FIELDS);
export type Accredit = Infer<typeof Accredit>;

/** `did/withdrawAccreditation`: ends an accreditation from this block on (earlier issuance stays accredited). */
export const WithdrawAccreditation = struct('WithdrawAccreditation', { id: fixedBytes(HASH_LENGTH) });
export type WithdrawAccreditation = Infer<typeof WithdrawAccreditation>;

/** At `acc/<id>` (id: the accrediting transaction's hash). */
export const AccreditationRecord = struct('AccreditationRecord', {
  ...ACCREDIT_FIELDS,
  issuedAt: u64,
  /** Block time of the withdrawal; 0: in force. */
  withdrawnAt: u64,
});
export type AccreditationRecord = Infer<typeof AccreditationRecord>;

/** Subjects are indexed by the SHA-256 of their DID, so any DID fits a key. */
export const subjectTag = (subject: string) => bytesToHex(sha256(utf8ToBytes(subject)));
export const accreditationKey = (id: string) => `acc/${id}`;
export const subjectCountKey = (subject: string) => `accn/${subjectTag(subject)}`;
export const subjectEntryKey = (subject: string, seq: number) =>
  `accs/${subjectTag(subject)}/${String(seq).padStart(6, '0')}`;
export const trustRootsKey = moduleParamKey(TRUST_ROOTS_PARAM);
export const trustRootsStateKey = () => moduleKey(DID_MODULE, trustRootsKey);

export interface AccreditationJson {
  readonly id: string;
  readonly accreditor: string;
  readonly subject: string;
  readonly role: AccreditationRole;
  readonly credentialTypes: string[];
  readonly jurisdictions: string[];
  readonly validFrom: string;
  readonly validUntil: string;
  readonly issuedAt: string;
  readonly withdrawnAt: string;
}

type Read = (key: string) => Uint8Array | undefined;

/** Every accreditation of `subject` (a pure function of state: clients rebuild it from proven reads). */
export function readAccreditations(read: Read, subject: string): AccreditationJson[] {
  const countBytes = read(subjectCountKey(subject));
  const count = countBytes ? decode(u32, countBytes) : 0;
  const out: AccreditationJson[] = [];
  for (let seq = 0; seq < count; seq++) {
    const id = read(subjectEntryKey(subject, seq));
    if (!id) continue;
    const record = read(accreditationKey(bytesToHex(id)));
    if (!record) continue;
    const r = decode(AccreditationRecord, record);
    out.push({
      id: bytesToHex(id),
      accreditor: r.accreditor,
      subject: r.subject,
      role: r.role,
      credentialTypes: r.credentialTypes,
      jurisdictions: r.jurisdictions,
      validFrom: String(r.validFrom),
      validUntil: String(r.validUntil),
      issuedAt: String(r.issuedAt),
      withdrawnAt: String(r.withdrawnAt),
    });
  }
  return out;
}

/** The recognised roots (none until governance sets the parameter). */
export function readTrustRoots(read: Read): TrustRoots {
  const bytes = read(trustRootsKey);
  return bytes ? decode(TrustRoots, bytes) : [];
}
