import { decode, encode } from '@pujiang/codec';
import { DENOM, moduleAccount, NATIVE_DENOM } from '@pujiang/module-bank';
import type { MessageContext } from '@pujiang/module-kit';
import { escrowKey, type Packet, type SendTransfer, TransferData } from '../../channel-formats.js';
import { xchainError } from '../../errors.js';
import { XCHAIN_MODULE } from '../../names.js';
import type { PacketApp } from '../packets.js';
import { sendPacket } from '../packets.js';

/**
 * Token transfer (port `transfer`, ICS-20's rules): a token leaving its origin is held in
 * this module's account (escrow, tallied per channel and denomination); on the other chain a
 * voucher `transfer/<its channel>/<denom>` is minted. A voucher sent back the way it came is
 * burnt, and its origin releases the escrow. An error acknowledgement or a timeout refunds
 * the sender: the escrow returned, or the burnt voucher minted again. So for every token the
 * escrow at its origin equals the vouchers outside plus what is in flight.
 */
const ADDRESS = /^[0-9a-f]{42}$/;
const AMOUNT = /^[1-9][0-9]{0,77}$/;
const VOUCHER_MARKER = (denom: string) => `vouchers/${denom}`;

const bank = (ctx: MessageContext, name: string, args: Record<string, unknown>) =>
  ctx.call('bank', name, args);
const account = (ctx: MessageContext) => moduleAccount(ctx.chainHash, XCHAIN_MODULE);
const returning = (denom: string, channel: string) => denom.startsWith(`transfer/${channel}/`);

function checkTransfer(denom: string, amount: string, receiver: string): void {
  if (!DENOM.test(denom) && denom !== NATIVE_DENOM)
    throw xchainError('XCHAIN_BAD_TRANSFER', `${denom} is not a denomination`, { denom });
  if (!AMOUNT.test(amount) || BigInt(amount) >= 1n << 256n)
    throw xchainError('XCHAIN_BAD_TRANSFER', 'the amount is a positive decimal integer below 2^256', {
      amount,
    });
  if (!ADDRESS.test(receiver))
    throw xchainError('XCHAIN_BAD_TRANSFER', 'the receiver is not an address', { receiver });
}

function changeEscrow(ctx: MessageContext, channel: string, denom: string, delta: bigint): void {
  const held = BigInt(
    new TextDecoder().decode(ctx.get(escrowKey(channel, denom)) ?? new Uint8Array()) || '0',
  );
  const next = held + delta;
  if (next < 0n)
    throw xchainError('XCHAIN_BAD_TRANSFER', 'the channel holds less of that denomination in escrow', {
      channel,
      denom,
      held: String(held),
    });
  ctx.set(escrowKey(channel, denom), next === 0n ? undefined : new TextEncoder().encode(String(next)));
}

export function sendTransfer(ctx: MessageContext, m: SendTransfer): Packet {
  checkTransfer(m.denom, m.amount, m.receiver);
  if (returning(m.denom, m.channelId))
    bank(ctx, 'burn', { from: ctx.sender, denom: m.denom, amount: m.amount });
  else {
    bank(ctx, 'transfer', { from: ctx.sender, to: account(ctx), denom: m.denom, amount: m.amount });
    changeEscrow(ctx, m.channelId, m.denom, BigInt(m.amount));
  }
  const data = encode(TransferData, {
    denom: m.denom,
    amount: m.amount,
    sender: ctx.sender,
    receiver: m.receiver,
    memo: m.memo,
  });
  return sendPacket(ctx, 'transfer', m.channelId, data, m.timeoutHeight, m.timeoutTime);
}

function dataOf(packet: Packet): TransferData {
  try {
    return decode(TransferData, packet.data);
  } catch {
    throw xchainError('XCHAIN_BAD_TRANSFER', 'the packet is not a transfer');
  }
}

/** Gives the sender back what it sent (error acknowledgement or timeout). */
function refund(ctx: MessageContext, packet: Packet): void {
  const d = dataOf(packet);
  if (returning(d.denom, packet.sourceChannel)) {
    bank(ctx, 'mint', { to: d.sender, denom: d.denom, amount: d.amount });
  } else {
    changeEscrow(ctx, packet.sourceChannel, d.denom, -BigInt(d.amount));
    bank(ctx, 'transfer', { from: account(ctx), to: d.sender, denom: d.denom, amount: d.amount });
  }
  ctx.emit('transferRefunded', {
    channel: packet.sourceChannel,
    sequence: String(packet.sequence),
    to: d.sender,
    denom: d.denom,
    amount: d.amount,
  });
}

export const transferApp: PacketApp = {
  onRecv(ctx, packet) {
    const d = dataOf(packet);
    checkTransfer(d.denom, d.amount, d.receiver);
    let denom: string;
    if (returning(d.denom, packet.sourceChannel)) {
      // Home again: release what this chain escrowed when it went out.
      denom = d.denom.slice(`transfer/${packet.sourceChannel}/`.length);
      changeEscrow(ctx, packet.destChannel, denom, -BigInt(d.amount));
      bank(ctx, 'transfer', { from: account(ctx), to: d.receiver, denom, amount: d.amount });
    } else {
      denom = `transfer/${packet.destChannel}/${d.denom}`;
      if (!DENOM.test(denom))
        throw xchainError('XCHAIN_BAD_TRANSFER', 'the voucher name would pass 64 characters', { denom });
      if (!ctx.get(VOUCHER_MARKER(denom))) {
        bank(ctx, 'createDenom', { denom, decimals: 0 });
        ctx.set(VOUCHER_MARKER(denom), Uint8Array.of(1));
      }
      bank(ctx, 'mint', { to: d.receiver, denom, amount: d.amount });
    }
    ctx.emit('transferReceived', {
      channel: packet.destChannel,
      sequence: String(packet.sequence),
      to: d.receiver,
      denom,
      amount: d.amount,
    });
    return new Uint8Array();
  },
  onAck(ctx, packet, ack) {
    if (!ack.ok) refund(ctx, packet);
  },
  onTimeout: refund,
};
