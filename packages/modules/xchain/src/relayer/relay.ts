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
import {
  getLightClient,
  getLightClientConsensusState,
  readHeaderSubmission,
  updateLightClient,
} from '../client/clients.js';
import { XCHAIN_MODULE } from '../names.js';
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
  /** Forged headers found held by a client and exposed (the client then freezes). */
  forksExposed: number;
  refused: Record<string, number>;
  /** Where the time went (seconds): reading chain state and proofs, moving clients, submitting and waiting for commits. */
  seconds: { reads: number; clientUpdates: number; submits: number };
}

export const newRelayCounters = (): RelayCounters => ({
  received: 0,
  acknowledged: 0,
  timedOut: 0,
  clientUpdates: 0,
  forksExposed: 0,
  refused: {},
  seconds: { reads: 0, clientUpdates: 0, submits: 0 },
});

async function timed<T>(
  c: RelayCounters,
  phase: keyof RelayCounters['seconds'],
  run: () => Promise<T>,
): Promise<T> {
  const start = performance.now();
  try {
    return await run();
  } finally {
    c.seconds[phase] += (performance.now() - start) / 1000;
  }
}

/** `fn` over `items` with at most `limit` in flight, results in order (a node is not sent 1,000 requests at once). */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}

const READS_IN_FLIGHT = 16;

type Kind = 'received' | 'acknowledged' | 'timedOut';
interface Message {
  readonly type: string;
  readonly payload: Uint8Array;
}

const refuse = (c: RelayCounters, code: string) => {
  c.refused[code] = (c.refused[code] ?? 0) + 1;
};

/**
 * Submits `messages` from one key in one batch (consecutive nonces), waits for the last one
 * admitted to commit, then reads each receipt and counts it. A refusal at admission ends the
 * batch there (the rest would wait on its nonce); the next round starts from the chain again.
 */
async function submitAll(side: ChainSide, messages: readonly Message[], kind: Kind, c: RelayCounters) {
  if (messages.length === 0) return;
  let hashes: string[] = [];
  try {
    const { results } = await side.chain.sendTransactions({
      key: side.key,
      messages: messages.map((m) => ({ module: XCHAIN_MODULE, type: m.type, payload: m.payload })),
    });
    const refused = results.findIndex((r) => !('hash' in r));
    if (refused >= 0) {
      const r = results[refused] as { error: { code: string } };
      refuse(c, r.error.code);
    }
    hashes = results
      .slice(0, refused >= 0 ? refused : results.length)
      .map((r) => (r as { hash: string }).hash);
  } catch (error) {
    refuse(c, isPujiangError(error) ? error.code : 'RELAY_SUBMIT_FAILED');
    return;
  }
  if (hashes.length === 0) return;
  await side.chain.waitForTx(hashes.at(-1)!, 60_000, { throwOnFailure: false, pollIntervalMs: 50 });
  const receipts = await mapLimit(hashes, READS_IN_FLIGHT, (hash) =>
    side.chain.waitForTx(hash, 60_000, { throwOnFailure: false, pollIntervalMs: 50 }),
  );
  for (const tx of receipts) {
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
  const pending = await timed(c, 'reads', async () =>
    (await listPendingPackets(src.chain, src.port, src.channel)).slice(0, max),
  );
  if (pending.length === 0) return 0;
  const dstStatus = await dst.chain.getStatus();
  const deliver: Packet[] = [];
  const acks: { packet: Packet; ack: Uint8Array }[] = [];
  const expired: Packet[] = [];
  const states = await timed(c, 'reads', () =>
    mapLimit(pending, READS_IN_FLIGHT, (s) =>
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
  const proofs = await timed(c, 'reads', () =>
    mapLimit(packets, READS_IN_FLIGHT, (p) =>
      readXchainProof(src.chain, commitmentKey(p.sourcePort, p.sourceChannel, p.sequence), h),
    ),
  );
  const messages: Message[] = [];
  for (const [i, packet] of packets.entries()) {
    const proof = proofs[i]!;
    if (!hasValue(proof)) continue; // committed in the block after the proven header: next round
    messages.push({
      type: 'recvPacket',
      payload: encodePayload(RecvPacket, { packet, proofHeight: BigInt(h), proof }),
    });
  }
  await timed(c, 'submits', () => submitAll(dst, messages, 'received', c));
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
  const proofs = await timed(c, 'reads', () =>
    mapLimit(acks, READS_IN_FLIGHT, ({ packet: p }) =>
      readXchainProof(dst.chain, ackCommitmentKey(p.destPort, p.destChannel, p.sequence), h),
    ),
  );
  const messages: Message[] = [];
  for (const [i, { packet, ack }] of acks.entries()) {
    const proof = proofs[i]!;
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
  await timed(c, 'submits', () => submitAll(src, messages, 'acknowledged', c));
  const timeouts = await timed(c, 'reads', () => timeoutMessages(src, dst, expired, h));
  await timed(c, 'submits', () => submitAll(src, timeouts, 'timedOut', c));
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
  const client = await getLightClient(host.chain, host.clientId);
  const before = Number(client?.latestHeight ?? 0);
  if (client && client.frozenHeight === '0' && (await exposeFork(host, followed, before, c))) {
    c.forksExposed++;
    return undefined;
  }
  try {
    const h = await timed(c, 'clientUpdates', () => syncClient(host, followed.chain, height));
    if (h !== before) c.clientUpdates++;
    return h;
  } catch (error) {
    if (!(error instanceof TransactionFailedError)) throw error;
    refuse(c, error.receipt.code);
    return undefined;
  }
}

/**
 * Whether the host's client holds, at `height`, a header the followed chain never made (a
 * forged header certified by keys it trusted). If so, the real header of that height is sent
 * as an update: two certified headers of one height, and the client freezes.
 */
async function exposeFork(
  host: ChainSide,
  followed: ChainSide,
  height: number,
  c: RelayCounters,
): Promise<boolean> {
  const held = await getLightClientConsensusState(host.chain, host.clientId, height);
  const real = await followed.chain.getHeader(height);
  if (!held || held.hash === real.hash) return false;
  const sent = await updateLightClient(host.chain, {
    key: host.key,
    wait: true,
    throwOnFailure: false,
    clientId: host.clientId,
    header: await readHeaderSubmission(followed.chain, height),
  });
  const code = sent.result.receipt?.code ?? 'RELAY_NOT_COMMITTED';
  // Refused (the forger offered another validator list than the real one): counted, not hidden.
  if (code !== 'OK') refuse(c, code);
  return code === 'OK';
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
