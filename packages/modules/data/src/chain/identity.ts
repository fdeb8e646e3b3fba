import { type MessageContext, moduleError } from '@pujiang/module-kit';

/** What governance's `identityOf` export answers (modules depend on capabilities, not packages). */
interface IdentityView {
  readonly org: string;
  readonly role: string;
  readonly valid: boolean;
}

/** The sender's organization: it must be a valid member identity (`DATA_NOT_MEMBER`). */
export function senderOrg(ctx: MessageContext): string {
  const found = ctx.call('governance', 'identityOf', { address: ctx.sender }) as IdentityView | null;
  if (!found?.valid)
    throw moduleError('DATA_NOT_MEMBER', `${ctx.sender} is not a valid member identity`, {
      address: ctx.sender,
    });
  return found.org;
}

/** Whether the sender may act for `did` (the DID module's rule for changing it). */
export function actsFor(ctx: MessageContext, did: string): boolean {
  return ctx.attempt(() => ctx.call('did', 'actsFor', { did })).ok;
}

/** Throws `DATA_NOT_STEWARD` unless the sender acts for the steward's DID. */
export function requireSteward(ctx: MessageContext, steward: string, what: string): void {
  if (!actsFor(ctx, steward))
    throw moduleError('DATA_NOT_STEWARD', `only the steward ${steward} ${what}`, { steward });
}
