import { type MessageContext, moduleError } from '@pujiang/module-kit';
import { bytesToHex, hexToBytes } from '@pujiang/types';
import {
  type AmendDocument,
  DOCS_LIMITS,
  DOCUMENT_NUMBER,
  type DocumentRecord,
  documentId,
  documentKey,
  fileKey,
  type RegisterDocument,
  type SetDocumentStatus,
  TRANSFERABLE_TYPES,
} from '../formats.js';
import {
  loadDocument,
  recordHolding,
  refuseFinal,
  requireIssuer,
  requireMember,
  saveDocument,
} from './common.js';

/**
 * The issuer's side of the registry: registering a document it issued (its file notarized
 * through the notary module), changing its status, superseding it by an amendment. Every
 * message needs a sender that may act for the issuer's DID (the did module's `actsFor`).
 */
const DID = /^did:[a-z0-9]+:[A-Za-z0-9._:%-]+$/;
const isZero = (b: Uint8Array) => b.every((x) => x === 0);

function checkRegistration(m: RegisterDocument): void {
  if (!DID.test(m.issuer) || m.issuer.length > DOCS_LIMITS.did)
    throw moduleError('DOCS_BAD_DOCUMENT', 'the issuer is a DID', { field: 'issuer' });
  if (m.subject !== '' && !DID.test(m.subject))
    throw moduleError('DOCS_BAD_DOCUMENT', 'the subject is a DID or empty', { field: 'subject' });
  if (!DOCUMENT_NUMBER.test(m.number))
    throw moduleError('DOCS_BAD_DOCUMENT', 'a document number is 1-64 of A-Z a-z 0-9 . _ / : -', {
      field: 'number',
    });
  if (isZero(m.credentialDigest))
    throw moduleError('DOCS_BAD_DOCUMENT', "the credential's proof digest is missing", {
      field: 'credentialDigest',
    });
  // Only the transferable types are transferable records, and they always are.
  if (m.transferable !== TRANSFERABLE_TYPES.includes(m.docType))
    throw moduleError(
      'DOCS_BAD_DOCUMENT',
      `${m.docType} is ${m.transferable ? 'not ' : ''}a transferable document`,
      { field: 'transferable' },
    );
  if (m.transferable !== (m.holder.length === 1))
    throw moduleError('DOCS_BAD_HOLDER', 'a transferable document names its first holder; others none', {
      field: 'holder',
    });
}

export function register(ctx: MessageContext, m: RegisterDocument): void {
  checkRegistration(m);
  requireIssuer(ctx, m.issuer);
  const id = documentId(m.issuer, m.docType, m.number);
  const idHex = bytesToHex(id);
  if (ctx.get(documentKey(idHex)) !== undefined)
    throw moduleError('DOCS_DUPLICATE', `${m.issuer} registered ${m.docType} ${m.number} before`, {
      id: idHex,
      reason: 'number',
    });
  const hasFile = !isZero(m.fileDigest);
  const fileHex = bytesToHex(m.fileDigest);
  // Files are indexed per issuer: a digest another member registered under its own DID first
  // blocks nothing here (and its record is no concern of this issuer's documents).
  const fileEntry = hasFile ? ctx.get(fileKey(m.issuer, fileHex)) : undefined;
  if (fileEntry !== undefined)
    throw moduleError('DOCS_DUPLICATE', `this file backs another document of ${m.issuer}`, {
      id: bytesToHex(fileEntry),
      reason: 'file',
    });
  if (m.holder[0]) requireMember(ctx, bytesToHex(m.holder[0]));
  // The file's digest is notarized (or its earlier anchor accepted), so `pujiang notary` finds it.
  const anchor = hasFile
    ? (ctx.call('notary', 'anchorFor', {
        digest: fileHex,
        algorithm: 'sha256',
        owner: m.issuer.length <= 128 ? m.issuer : ctx.sender,
        docType: m.docType,
        ref: idHex,
      }) as { root: string })
    : undefined;
  const record: DocumentRecord = {
    docType: m.docType,
    issuer: m.issuer,
    subject: m.subject,
    number: m.number,
    fileDigest: m.fileDigest,
    credentialDigest: m.credentialDigest,
    transferable: m.transferable,
    status: 'active',
    supersededBy: [],
    holder: m.holder,
    holders: m.holder.length,
    anchorRoot: anchor ? [hexToBytes(anchor.root)] : [],
    registrant: hexToBytes(ctx.sender),
    height: ctx.height,
    time: ctx.time,
    txHash: hexToBytes(ctx.txHash),
    statusHeight: ctx.height,
  };
  saveDocument(ctx, idHex, record);
  if (hasFile) ctx.set(fileKey(m.issuer, fileHex), id);
  if (m.holder[0]) recordHolding(ctx, idHex, 0, m.holder[0]);
  ctx.emit('registered', {
    id: idHex,
    type: m.docType,
    issuer: m.issuer,
    number: m.number,
    holder: m.holder[0] ? bytesToHex(m.holder[0]) : '',
  });
}

export function setStatus(ctx: MessageContext, m: SetDocumentStatus): void {
  const { idHex, record } = loadDocument(ctx, m.id);
  requireIssuer(ctx, record.issuer);
  refuseFinal(idHex, record);
  if (record.status === m.status)
    throw moduleError('DOCS_BAD_STATUS', `document ${idHex} is ${m.status} already`, { id: idHex });
  saveDocument(ctx, idHex, { ...record, status: m.status, statusHeight: ctx.height });
  ctx.emit('statusChanged', { id: idHex, status: m.status, by: ctx.sender });
}

/**
 * Amending a transferable document must not move control: the amendment is held by the old
 * document's current holder and has never been transferred (one holding), and that holder
 * consents, as the transaction's sender or one of its endorsers. Otherwise an issuer could
 * register a bill held by itself and supersede the one a bank holds.
 */
function requireHolderConsent(
  ctx: MessageContext,
  idHex: string,
  record: DocumentRecord,
  nextHex: string,
  next: DocumentRecord,
): void {
  const holder = record.holder[0] ? bytesToHex(record.holder[0]) : '';
  const nextHolder = next.holder[0] ? bytesToHex(next.holder[0]) : '';
  if (nextHolder !== holder || next.holders !== 1)
    throw moduleError(
      'DOCS_BAD_AMENDMENT',
      `the amendment of a transferable document is held by its current holder ${holder} and never transferred`,
      { id: idHex, newId: nextHex, holder, newHolder: nextHolder },
    );
  if (ctx.sender !== holder && !ctx.endorsers.some((e) => e.address === holder))
    throw moduleError(
      'DOCS_HOLDER_CONSENT',
      `amending ${idHex} needs its holder ${holder} as the sender or an endorser`,
      { id: idHex, holder },
    );
}

export function amend(ctx: MessageContext, m: AmendDocument): void {
  const { idHex, record } = loadDocument(ctx, m.id);
  requireIssuer(ctx, record.issuer);
  refuseFinal(idHex, record);
  const next = loadDocument(ctx, m.newId);
  if (next.idHex === idHex) throw moduleError('DOCS_BAD_AMENDMENT', 'a document cannot supersede itself');
  // The amendment is the same issuer's document of the same type, in force.
  if (next.record.issuer !== record.issuer || next.record.docType !== record.docType)
    throw moduleError('DOCS_BAD_AMENDMENT', 'an amendment is a document of the same issuer and type', {
      id: idHex,
      newId: next.idHex,
    });
  if (next.record.status !== 'active')
    throw moduleError('DOCS_BAD_AMENDMENT', `the amendment ${next.idHex} is ${next.record.status}`, {
      newId: next.idHex,
    });
  if (record.transferable) requireHolderConsent(ctx, idHex, record, next.idHex, next.record);
  saveDocument(ctx, idHex, {
    ...record,
    status: 'superseded',
    supersededBy: [m.newId],
    statusHeight: ctx.height,
  });
  ctx.emit('amended', { id: idHex, newId: next.idHex, by: ctx.sender });
}
