import { type MessageContext, moduleError } from '@pujiang/module-kit';
import { bytesToHex } from '@pujiang/types';
import type { DocumentRecord, SurrenderDocument, TransferDocument } from '../formats.js';
import { loadDocument, recordHolding, refuseFinal, requireMember, saveDocument } from './common.js';

/**
 * Holding a transferable document (MLETR's exclusive control): exactly one holder at a time,
 * recorded on chain; only that holder's signed transaction moves it to another member, or
 * surrenders it for good. The credential proves what the document says; the chain says who
 * controls it, so a copy of the credential controls nothing.
 */
function requireHolder(ctx: MessageContext, idHex: string, record: DocumentRecord): void {
  if (!record.transferable)
    throw moduleError('DOCS_NOT_TRANSFERABLE', `document ${idHex} is not a transferable record`, {
      id: idHex,
    });
  // Surrendered, revoked or superseded: nothing more, whoever asks.
  refuseFinal(idHex, record);
  if (record.status === 'suspended')
    throw moduleError('DOCS_SUSPENDED', `document ${idHex} is suspended`, { id: idHex });
  const holder = record.holder[0] ? bytesToHex(record.holder[0]) : '';
  if (holder !== ctx.sender)
    throw moduleError('DOCS_NOT_HOLDER', `only the current holder controls document ${idHex}`, {
      id: idHex,
      holder,
    });
}

export function transfer(ctx: MessageContext, m: TransferDocument): void {
  const { idHex, record } = loadDocument(ctx, m.id);
  requireHolder(ctx, idHex, record);
  const to = bytesToHex(m.to);
  if (to === ctx.sender) throw moduleError('DOCS_BAD_HOLDER', 'the holder holds it already', { address: to });
  requireMember(ctx, to);
  const seq = record.holders;
  recordHolding(ctx, idHex, seq, m.to);
  saveDocument(ctx, idHex, { ...record, holder: [m.to], holders: seq + 1 });
  ctx.emit('transferred', { id: idHex, from: ctx.sender, to, seq: String(seq) });
}

export function surrender(ctx: MessageContext, m: SurrenderDocument): void {
  const { idHex, record } = loadDocument(ctx, m.id);
  requireHolder(ctx, idHex, record);
  saveDocument(ctx, idHex, { ...record, status: 'surrendered', statusHeight: ctx.height });
  ctx.emit('surrendered', { id: idHex, by: ctx.sender });
}
