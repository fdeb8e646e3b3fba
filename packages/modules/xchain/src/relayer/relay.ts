import { encodePayload, TransactionFailedError } from '@pujiang/module-kit';
import { hexToBytes, isPujiangError } from '@pujiang/types';
import {
  AcknowledgePacket,
  ackCommitmentKey,
  commitmentKey,
  nextRecvKey,
  type Packet,
  type Port,
  RecvPacket,
  receiptKey,
  TimeoutPacket,
} from '../channel-formats.js';
import { getChannel, getPacket, listPendingPackets } from '../client/channels.js';
import { getLightClient } from '../client/clients.js';
import { send } from '../client/send.js';
import { type ChainSide, syncClient } from './handshake.js';
import { packetFromJson, readXchainProof } from './reads.js';

/**
 * The relayer's work, derived from the two chains' state alone: for every packet the source
 * still holds in flight (its `pending` index), the destination either has not received it
 * (deliver it, or, past its timeout, prove that on the source and refund), or has written an
 * acknowledgement (bring it back). Nothing is remembered between rounds, so a relayer killed
 * with -9 resumes where the chains are, and two relayers racing waste gas but break nothing:
 * the second copy of each message is refused on chain.
 */
export interface PathEnd extends ChainSide {
  readonly port: Port;
  readonly channel: string;
}

export interface RelayPath {
  readonly a: PathEnd;
  readonly b: PathEnd;
}

/** What a relayer did, for its `/metrics`: messages that committed OK, and refusals by code. */
export interface RelayCounters {
  received: number;
  acknowledged: number;
  timedOut: number;
  clientUpdates: number;
  refused: Record<string, number>;
}

export const newRelayCounters = (): RelayCounters => ({
  received: 0,
  acknowledged: 0,
  timedOut: 0,
  clientUpdates: 0,
  refused: {},
});

type Kind = 'received' | 'acknowledged' | 'timedOut';
interface Message {
  readonly type: string;
  readonly payload: Uint8Array;
}

const refuse = (c: RelayCounters, code: string) => {
  c.refused[code] = (c.refused[code] ?? 0) + 1;
};

/**
 * Submits `messages` from one key in nonce order, waiting only for the last; then reads each
 * receipt and counts it. A refusal at admission stops the batch (the rest would wait on the
 * missing nonce); the next round starts from the chain's nonce again.
 */
async function submitAll(side: ChainSide, messages: readonly Message[], kind: Kind, c: RelayCounters) {
  const hashes: string[] = [];
  let nonce: bigint | undefined;
  for (const [i, m] of messages.entries()) {
    try {
      const r = await send(
        side.chain,
        {
          key: side.key,
          wait: i === messages.length - 1,
          throwOnFailure: false,
          ...(nonce === undefined ? {} : { nonce }),
        },
        m.type,
        m.payload,
      );
      nonce = r.nonce + 1n;
      hashes.push(r.hash);
    } catch (error) {
      refuse(c, isPujiangError(error) ? error.code : 'RELAY_SUBMIT_FAILED');
      break;
    }
  }
  for (const hash of hashes) {
    const tx = await side.chain.waitForTx(hash, 30_000, { throwOnFailure: false });
    const code = tx.receipt?.code ?? 'RELAY_NOT_COMMITTED';
    if (code === 'OK') c[kind]++;
    else refuse(c, code);
  }
}

const pastTimeout = (p: Packet, height: number, time: bigint) =>
  (p.timeoutHeight > 0n && BigInt(height) >= p.timeoutHeight) ||
  (p.timeoutTime > 0n && time >= p.timeoutTime);

/** Relays packets from `src` to `dst` (deliveries) and back (acknowledgements, timeouts). */
async function relayDirection(src: PathEnd, dst: PathEnd, c: RelayCounters, max: number): Promise<number> {
  const pending = (await listPendingPackets(src.chain, src.port, src.channel)).slice(0, max);
  if (pending.length === 0) return 0;
  const dstStatus = await dst.chain.getStatus();
  const deliver: Packet[] = [];
  const acks: { packet: Packet; ack: Uint8Array }[] = [];
  const expired: Packet[] = [];
  const states = await Promise.all(
    pending.map((s) =>
      Promise.all([
        getPacket(src.chain, src.port, src.channel, s),
        getPacket(dst.chain, dst.port, dst.channel, s),
      ]),
    ),
  );
  for (const [here, there] of states) {
    if (!here.packet) continue; // acknowledged or timed out since the listing
    const packet = packetFromJson(here.packet);
    if (there.acknowledgement) acks.push({ packet, ack: hexToBytes(there.acknowledgement.bytes) });
    else if (there.received) continue;
    else if (pastTimeout(packet, dstStatus.height, BigInt(dstStatus.latestBlockTime))) expired.push(packet);
    else deliver.push(packet);
  }
  return (
    (await deliverPackets(src, dst, deliver, c)) +
    (await bringBack(src, dst, acks, expired, dstStatus.height, c))
  );
}

/** Delivers packets to `dst` under a header of `src` its client holds (moved forward first). */
async function deliverPackets(src: PathEnd, dst: PathEnd, packets: readonly Packet[], c: RelayCounters) {
  if (packets.length === 0) return 0;
  const h = await synced(dst, src, (await src.chain.getStatus()).height, c);
  if (h === undefined) return 0;
  const messages: Message[] = [];
  for (const packet of packets) {
    const key = commitmentKey(packet.sourcePort, packet.sourceChannel, packet.sequence);
    const proof = await readXchainProof(src.chain, key, h);
    if (!hasValue(proof)) continue; // committed in the block after the proven header: next round
    messages.push({
      type: 'recvPacket',
      payload: encodePayload(RecvPacket, { packet, proofHeight: BigInt(h), proof }),
    });
  }
  await submitAll(dst, messages, 'received', c);
  return messages.length;
}

/** Brings acknowledgements back to `src`, and proves timeouts there, under a header of `dst`. */
async function bringBack(
  src: PathEnd,
  dst: PathEnd,
  acks: readonly { packet: Packet; ack: Uint8Array }[],
  expired: readonly Packet[],
  dstHeight: number,
  c: RelayCounters,
) {
  if (acks.length + expired.length === 0) return 0;
  const h = await synced(src, dst, dstHeight, c);
  if (h === undefined) return 0;
  const messages: Message[] = [];
  for (const { packet, ack } of acks) {
    const key = ackCommitmentKey(packet.destPort, packet.destChannel, packet.sequence);
    const proof = await readXchainProof(dst.chain, key, h);
    if (!hasValue(proof)) continue;
    messages.push({
      type: 'acknowledgePacket',
      payload: encodePayload(AcknowledgePacket, {
        packet,
        acknowledgement: ack,
        proofHeight: BigInt(h),
        proof,
      }),
    });
  }
  await submitAll(src, messages, 'acknowledged', c);
  const timeouts = await timeoutMessages(src, dst, expired, h);
  await submitAll(src, timeouts, 'timedOut', c);
  return messages.length + timeouts.length;
}

async function timeoutMessages(
  src: PathEnd,
  dst: PathEnd,
  expired: readonly Packet[],
  h: number,
): Promise<Message[]> {
  if (expired.length === 0) return [];
  const header = (await dst.chain.getHeader(h)).header;
  const ordered = (await getChannel(src.chain, src.port, src.channel))?.ordering === 'ORDERED';
  const out: Message[] = [];
  for (const packet of expired) {
    if (!pastTimeout(packet, h, BigInt(header.time))) continue;
    const key = ordered
      ? nextRecvKey(packet.destPort, packet.destChannel)
      : receiptKey(packet.destPort, packet.destChannel, packet.sequence);
    const proof = await readXchainProof(dst.chain, key, h);
    out.push({
      type: 'timeoutPacket',
      payload: encodePayload(TimeoutPacket, { packet, proofHeight: BigInt(h), proof }),
    });
    if (ordered) break; // an ordered channel closes on its first timeout
  }
  return out;
}

/**
 * Moves `host`'s client of `followed` to at least `height`; undefined when the host refuses
 * (a frozen or expired client: counted, and nothing is relayed through it this round).
 */
async function synced(host: ChainSide, followed: ChainSide, height: number, c: RelayCounters) {
  const before = Number((await getLightClient(host.chain, host.clientId))?.latestHeight ?? 0);
  try {
    const h = await syncClient(host, followed.chain, height);
    if (h !== before) c.clientUpdates++;
    return h;
  } catch (error) {
    if (!(error instanceof TransactionFailedError)) throw error;
    refuse(c, error.receipt.code);
    return undefined;
  }
}

/** Whether a read proves a value (not an absence). */
const hasValue = (read: Uint8Array) =>
  (JSON.parse(new TextDecoder().decode(read)) as { value: unknown }).value !== null;

/**
 * One round of relaying on a path, both ways: at most `maxPackets` per direction. Returns
 * how many messages it submitted (0: nothing to do).
 */
export async function relayOnce(
  path: RelayPath,
  counters: RelayCounters = newRelayCounters(),
  options: { maxPackets?: number } = {},
): Promise<number> {
  const max = options.maxPackets ?? 500;
  return (
    (await relayDirection(path.a, path.b, counters, max)) +
    (await relayDirection(path.b, path.a, counters, max))
  );
}
