import type { PublicKey } from '@pujiang/crypto';
import { defineExport, moduleError, Type } from '@pujiang/module-kit';
import { DID_LIMITS } from '../formats.js';
import { authorizeFor } from './operations.js';

/**
 * What other modules may ask the DID module (when they import it). `actsFor` lets a module
 * name a DID as the party of a record (a dataset's steward, a document's issuer) and hold the
 * transaction's sender to the same rule as a DID update: a key of the DID's
 * capabilityInvocation, of a did:pujiang controller's, or an admin of its registrar. It
 * judges the transaction's signer: a module must not call it from an export it marks `remote`
 * (there the signer is the relayer's account, not the remote caller).
 */
export const didExports = {
  actsFor: defineExport(
    "Throws DID_NOT_AUTHORIZED (or DID_NOT_FOUND, DID_DEACTIVATED, DID_BAD_DID) unless the transaction's sender may act for the DID",
    Type.Object({ did: Type.String({ maxLength: DID_LIMITS.did }) }),
    (ctx, { did }): true => {
      if (ctx.sender === undefined || ctx.senderKey === undefined)
        throw moduleError('DID_NOT_AUTHORIZED', 'only a transaction acts for a DID', { did });
      authorizeFor(ctx as typeof ctx & { sender: string; senderKey: PublicKey }, did);
      return true;
    },
  ),
};
