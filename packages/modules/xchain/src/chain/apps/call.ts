import { decode, encode } from '@pujiang/codec';
import type { MessageContext } from '@pujiang/module-kit';
import { utf8ToBytes } from '@pujiang/types';
import { CallData, type Packet, type SendCall } from '../../channel-formats.js';
import { xchainError } from '../../errors.js';
import type { PacketApp } from '../packets.js';
import { sendPacket } from '../packets.js';

/**
 * A generic call (port `call`): a packet names a module, one of its `remote` exports and
 * JSON arguments; the destination runs it for the calling account of this chain (the export
 * is told the chain, channel and sender) and the acknowledgement carries the result as JSON,
 * or the export's typed error code. Nothing but exports marked `remote` can be reached.
 */
const NAME = /^[a-z][a-z0-9-]{0,31}$/;
const EXPORT = /^[A-Za-z][A-Za-z0-9]{0,63}$/;
const MAX_RESULT = 4096;

function argsOf(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw xchainError('XCHAIN_BAD_CALL', 'the arguments are not JSON');
  }
}

function checkCall(module: string, name: string, args: Uint8Array): void {
  if (!NAME.test(module)) throw xchainError('XCHAIN_BAD_CALL', `${module} is not a module name`, { module });
  if (!EXPORT.test(name))
    throw xchainError('XCHAIN_BAD_CALL', `${name} is not an export name`, { export: name });
  argsOf(args);
}

export function sendCall(ctx: MessageContext, m: SendCall): Packet {
  checkCall(m.module, m.export, m.args);
  const data = encode(CallData, { module: m.module, export: m.export, args: m.args, sender: ctx.sender });
  return sendPacket(ctx, 'call', m.channelId, data, m.timeoutHeight, m.timeoutTime);
}

export const callApp: PacketApp = {
  onRecv(ctx, packet, remoteChainId) {
    let d: CallData;
    try {
      d = decode(CallData, packet.data);
    } catch {
      throw xchainError('XCHAIN_BAD_CALL', 'the packet is not a call');
    }
    checkCall(d.module, d.export, d.args);
    const caller = { chainId: remoteChainId, channel: packet.destChannel, sender: d.sender };
    const result = ctx.callRemote(d.module, d.export, caller, argsOf(d.args));
    const json = utf8ToBytes(
      JSON.stringify(result ?? null, (_, v) => (typeof v === 'bigint' ? String(v) : v)),
    );
    if (json.length > MAX_RESULT)
      throw xchainError('XCHAIN_BAD_CALL', `the result is over ${MAX_RESULT} bytes of JSON`, {
        bytes: json.length,
      });
    return json;
  },
  onAck(ctx, packet, ack) {
    ctx.emit('callAnswered', {
      channel: packet.sourceChannel,
      sequence: String(packet.sequence),
      ok: String(ack.ok),
      result: ack.ok ? new TextDecoder().decode(ack.result) : '',
      error: ack.error,
    });
  },
  onTimeout() {},
};
