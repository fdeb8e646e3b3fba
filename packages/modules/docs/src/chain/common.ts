import { encode } from '@pujiang/codec';
import { type MessageContext, type ModuleContext, moduleError } from '@pujiang/module-kit';
import { bytesToHex, hexToBytes } from '@pujiang/types';
import {
  DocumentRecord as DocumentCodec,
  type DocumentRecord,
  documentKey,
  HolderEntry,
  holderKey,
} from '../formats.js';
import { readDocument } from '../records.js';

/** What the registry's handlers share: reading a document, the final statuses, who is who. */
interface IdentityView {
  readonly org: string;
  readonly role: string;
  readonly valid: boolean;
}

export function loadDocument(ctx: MessageContext, id: Uint8Array): { idHex: string; record: DocumentRecord } {
  const idHex = bytesToHex(id);
  const record = readDocument((k) => ctx.get(k), idHex);
  if (!record) throw moduleError('DOCS_UNKNOWN', `there is no document ${idHex}`, { id: idHex });
  return { idHex, record };
}

export function saveDocument(ctx: Pick<ModuleContext, 'set'>, idHex: string, record: DocumentRecord): void {
  ctx.set(documentKey(idHex), encode(DocumentCodec, record));
}

/** Refuses any change to a document whose status is final, with that status's own code. */
export function refuseFinal(idHex: string, record: DocumentRecord): void {
  const details = { id: idHex };
  if (record.status === 'surrendered')
    throw moduleError('DOCS_SURRENDERED', `document ${idHex} was surrendered`, details);
  if (record.status === 'revoked') throw moduleError('DOCS_REVOKED', `document ${idHex} is revoked`, details);
  if (record.status === 'superseded')
    throw moduleError('DOCS_SUPERSEDED', `document ${idHex} was superseded by an amendment`, {
      ...details,
      supersededBy: record.supersededBy[0] ? bytesToHex(record.supersededBy[0]) : '',
    });
}

/**
 * The sender may act for the issuer's DID (the did module's rule for updating it); a refusal
 * is `DOCS_NOT_ISSUER` carrying the did module's reason as `cause`.
 */
export function requireIssuer(ctx: MessageContext, issuer: string): void {
  const outcome = ctx.attempt(() => ctx.call('did', 'actsFor', { did: issuer }));
  if (!outcome.ok)
    throw moduleError('DOCS_NOT_ISSUER', `the sender may not act for ${issuer}: ${outcome.error.message}`, {
      issuer,
      cause: outcome.error.code,
    });
}

/** `address` is a registered, valid member identity (a holder must be one). */
export function requireMember(ctx: MessageContext, address: string): void {
  const identity = ctx.call('governance', 'identityOf', { address }) as IdentityView | null;
  if (!identity?.valid)
    throw moduleError('DOCS_BAD_HOLDER', `${address} is not a valid member identity`, { address });
}

/** Appends entry `seq` to the holder history: `holder` holds from this block. */
export function recordHolding(
  ctx: Pick<ModuleContext, 'set' | 'height' | 'time'> & { readonly txHash: string },
  idHex: string,
  seq: number,
  holder: Uint8Array,
): void {
  ctx.set(
    holderKey(idHex, seq),
    encode(HolderEntry, { holder, height: ctx.height, time: ctx.time, txHash: hexToBytes(ctx.txHash) }),
  );
}
