import { decode, encode, u32 } from '@pujiang/codec';
import { defineQuery, type MessageContext, moduleError, Type } from '@pujiang/module-kit';
import { bytesToHex, hexToBytes } from '@pujiang/types';
import {
  type Accredit,
  AccreditationRecord,
  accreditationKey,
  MAX_ACCREDITATIONS_PER_SUBJECT,
  readAccreditations,
  readTrustRoots,
  subjectCountKey,
  subjectEntryKey,
  TrustRoots,
  type WithdrawAccreditation,
} from '../accreditation-formats.js';
import { isDid } from '../did-syntax.js';
import { DID_LIMITS } from '../formats.js';
import { authorizeFor } from './operations.js';

const TERM = /^[A-Za-z0-9][A-Za-z0-9._:/#-]{0,127}$/;
const JURISDICTION = /^[A-Z]{2}(-[A-Z0-9]{1,3})?$/;

/**
 * Whether `did` may accredit now: a root the consortium recognises, or an accreditation body
 * (accredited as one, in force). So every record on chain traces back to a recognised root, and
 * no member can fill a subject's accreditations with its own.
 */
function mayAccredit(ctx: MessageContext, did: string): boolean {
  const read = (key: string) => ctx.get(key);
  if (readTrustRoots(read).some((r) => r.root === did)) return true;
  const now = ctx.time;
  return readAccreditations(read, did).some(
    (a) =>
      a.role === 'body' &&
      BigInt(a.validFrom) <= now &&
      (a.validUntil === '0' || now < BigInt(a.validUntil)) &&
      a.withdrawnAt === '0',
  );
}

/** `did/accredit`: by whoever controls the accreditor's DID; the accreditation's id is the transaction's hash. */
export function accredit(ctx: MessageContext, m: Accredit): void {
  authorizeFor(ctx, m.accreditor);
  if (!mayAccredit(ctx, m.accreditor))
    throw moduleError(
      'DID_NOT_ACCREDITOR',
      `${m.accreditor} is neither a recognised root nor an accreditation body in force`,
      { accreditor: m.accreditor },
    );
  const bad = (message: string) => moduleError('DID_BAD_ACCREDITATION', message, { subject: m.subject });
  if (!isDid(m.subject)) throw bad('the subject must be a DID');
  if (m.subject === m.accreditor) throw bad('an accreditor cannot accredit itself');
  if (
    m.credentialTypes.length === 0 ||
    !m.credentialTypes.every((t) => TERM.test(t) && t !== 'VerifiableCredential')
  )
    throw bad('name the credential types covered (terms or URLs, not VerifiableCredential)');
  if (m.jurisdictions.length === 0 || !m.jurisdictions.every((j) => JURISDICTION.test(j)))
    throw bad('name the jurisdictions covered (ISO 3166 codes, e.g. CN, HK, SG, CN-31)');
  if (m.validUntil !== 0n && m.validUntil <= m.validFrom) throw bad('validUntil must be after validFrom');
  const countBytes = ctx.get(subjectCountKey(m.subject));
  const count = countBytes ? decode(u32, countBytes) : 0;
  if (count >= MAX_ACCREDITATIONS_PER_SUBJECT)
    throw moduleError(
      'DID_TOO_MANY_ACCREDITATIONS',
      `a subject holds at most ${MAX_ACCREDITATIONS_PER_SUBJECT} accreditations`,
    );
  ctx.set(
    accreditationKey(ctx.txHash),
    encode(AccreditationRecord, { ...m, issuedAt: ctx.time, withdrawnAt: 0n }),
  );
  ctx.set(subjectEntryKey(m.subject, count), hexToBytes(ctx.txHash));
  ctx.set(subjectCountKey(m.subject), encode(u32, count + 1));
  ctx.emit('accredited', { id: ctx.txHash, accreditor: m.accreditor, subject: m.subject, role: m.role });
}

/** `did/withdrawAccreditation`: by whoever controls the accreditor's DID, once. */
export function withdrawAccreditation(ctx: MessageContext, m: WithdrawAccreditation): void {
  const id = bytesToHex(m.id);
  const bytes = ctx.get(accreditationKey(id));
  if (!bytes) throw moduleError('DID_ACCREDITATION_UNKNOWN', `there is no accreditation ${id}`, { id });
  const record = decode(AccreditationRecord, bytes);
  authorizeFor(ctx, record.accreditor);
  if (record.withdrawnAt !== 0n)
    throw moduleError('DID_BAD_ACCREDITATION', 'the accreditation was withdrawn already', { id });
  ctx.set(accreditationKey(id), encode(AccreditationRecord, { ...record, withdrawnAt: ctx.time }));
  ctx.emit('accreditationWithdrawn', { id, subject: record.subject });
}

/** The `trustRoots` parameter's check (governance writes it by proposal): jurisdictions once each, roots DIDs. */
export function checkTrustRoots(value: Uint8Array): void {
  let roots: TrustRoots;
  try {
    roots = decode(TrustRoots, value);
  } catch {
    throw moduleError('DID_BAD_TRUST_ROOTS', 'trustRoots must be an encoded list of {jurisdiction, root}');
  }
  const seen = new Set<string>();
  for (const r of roots) {
    if (!JURISDICTION.test(r.jurisdiction) || seen.has(r.jurisdiction))
      throw moduleError('DID_BAD_TRUST_ROOTS', `jurisdiction ${r.jurisdiction} is malformed or listed twice`);
    if (!isDid(r.root) || r.root.length > DID_LIMITS.did)
      throw moduleError('DID_BAD_TRUST_ROOTS', `root ${r.root} is not a DID`);
    seen.add(r.jurisdiction);
  }
}

const AccreditationSchema = Type.Object({
  id: Type.String(),
  accreditor: Type.String(),
  subject: Type.String(),
  role: Type.Union([Type.Literal('body'), Type.Literal('issuer')]),
  credentialTypes: Type.Array(Type.String()),
  jurisdictions: Type.Array(Type.String()),
  validFrom: Type.String(),
  validUntil: Type.String(),
  issuedAt: Type.String(),
  withdrawnAt: Type.String(),
});

export const accreditationsQuery = defineQuery({
  summary: "A DID's accreditations (in force or not: verifiers judge them at the credential's issuance time)",
  params: Type.Object({ subject: Type.String({ minLength: 7, maxLength: DID_LIMITS.did }) }),
  result: Type.Object({ accreditations: Type.Array(AccreditationSchema) }),
  invalidParams: 'DID_BAD_QUERY',
  run: (read, { subject }) => ({ accreditations: readAccreditations(read, subject) }),
});

export const trustRootsQuery = defineQuery({
  summary: 'The jurisdictions whose root authorities the consortium recognises (set by governance proposals)',
  params: Type.Object({}),
  result: Type.Object({
    roots: Type.Array(Type.Object({ jurisdiction: Type.String(), root: Type.String() })),
  }),
  invalidParams: 'DID_BAD_QUERY',
  run: (read) => ({ roots: readTrustRoots(read) }),
});
