import { defineExport, moduleError, Type } from '@pujiang/module-kit';
import { bytesToHex, hexToBytes } from '@pujiang/types';
import { readDocument } from '../records.js';
import { recordHolding, saveDocument } from './common.js';

/**
 * What other modules of this chain may ask of the registry: a document's facts (a letter of
 * credit examines a presented record), and a transfer of a transferable document by its holder
 * inside another module's transaction (a presentation hands the bill of lading to the bank).
 */
const Id = Type.String({ pattern: '^[0-9a-f]{64}$' });

export const docsExports = {
  documentFacts: defineExport(
    "A registered document's type, issuer, status, holder and registration time (null if none)",
    Type.Object({ id: Id }),
    (ctx, a) => {
      const r = readDocument((k) => ctx.get(k), a.id);
      if (!r) return null;
      return {
        type: r.docType,
        issuer: r.issuer,
        status: r.status,
        transferable: r.transferable,
        holder: r.holder[0] ? bytesToHex(r.holder[0]) : null,
        time: String(r.time),
        fileDigest: bytesToHex(r.fileDigest),
      };
    },
  ),
  transferHeld: defineExport(
    "Moves a transferable document from its holder, the transaction's sender, to `to` (the calling module's step)",
    Type.Object({ id: Id, to: Type.String({ pattern: '^[0-9a-f]{42}$' }) }),
    (ctx, a) => {
      const r = readDocument((k) => ctx.get(k), a.id);
      if (!r) throw moduleError('DOCS_UNKNOWN', `there is no document ${a.id}`, { id: a.id });
      if (!r.transferable || r.status !== 'active')
        throw moduleError('DOCS_NOT_TRANSFERABLE', `document ${a.id} cannot be transferred`, { id: a.id });
      const holder = r.holder[0] ? bytesToHex(r.holder[0]) : '';
      if (ctx.sender === undefined || holder !== ctx.sender)
        throw moduleError('DOCS_NOT_HOLDER', `only the current holder controls document ${a.id}`, {
          id: a.id,
          holder,
        });
      if (ctx.txHash === undefined) throw moduleError('DOCS_NOT_HOLDER', 'a transfer comes in a transaction');
      // As `docs/transfer`: to another holder, a valid member identity.
      const identity = ctx.call('governance', 'identityOf', { address: a.to }) as { valid: boolean } | null;
      if (a.to === holder || !identity?.valid)
        throw moduleError('DOCS_BAD_HOLDER', `${a.to} is not another valid member identity`, {
          address: a.to,
        });
      const seq = r.holders;
      const txHash = ctx.txHash;
      recordHolding(
        { set: (k, v) => ctx.set(k, v), height: ctx.height, time: ctx.time, txHash },
        a.id,
        seq,
        hexToBytes(a.to),
      );
      saveDocument(ctx, a.id, { ...r, holder: [hexToBytes(a.to)], holders: seq + 1 });
      ctx.emit('transferred', { id: a.id, from: holder, to: a.to, seq: String(seq) });
    },
  ),
};
