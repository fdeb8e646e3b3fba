import { utf8ToBytes } from '@pujiang/types';

/**
 * What each proof is bound to, so a proof made for one chain, round, epoch, request or
 * member proves nothing anywhere else. Clients and the chain build them the same way.
 */
export const submissionContext = (chainId: string, round: string, submitterHex: string): Uint8Array =>
  utf8ToBytes(`submit\0${chainId}\0${round}\0${submitterHex}`);

export const memberKeyContext = (chainId: string, memberHex: string): Uint8Array =>
  utf8ToBytes(`member-key\0${chainId}\0${memberHex}`);

export const dealContext = (chainId: string, epoch: number, dealerHex: string): Uint8Array =>
  utf8ToBytes(`deal\0${chainId}\0${epoch}\0${dealerHex}`);

/** The sealed shares of one epoch (every dealer's, to every member). */
export const shareContext = (chainId: string, epoch: number, dealer: number): Uint8Array =>
  utf8ToBytes(`share\0${chainId}\0${epoch}\0${dealer}`);

export const requestContext = (chainId: string, request: string, requesterHex: string): Uint8Array =>
  utf8ToBytes(`request\0${chainId}\0${request}\0${requesterHex}`);

export const partialContext = (chainId: string, request: string, member: number): Uint8Array =>
  utf8ToBytes(`partial\0${chainId}\0${request}\0${member}`);
