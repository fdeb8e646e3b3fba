import type { ConsensusMessage } from '@pujiang/consensus';
import {
  consensusToWire,
  decodeWire,
  encodeBlock,
  encodeCertificate,
  encodeWire,
  type WireMessage,
  wireToConsensus,
} from '@pujiang/protocol';
import type { Chain } from '../chain/chain.js';
import type { ConsensusGlue } from '../validator/consensus-glue.js';
import { BlockSync } from './block-sync.js';
import type { PeerOffence } from './peer-offence.js';
import type { PeerNetworkSnapshot } from './peer-watch.js';
import type { TxGossip } from './tx-gossip.js';

/**
 * What the node needs from a peer network. Incoming payloads go to `ValidatorNode.receive`,
 * links that open and close to `peerConnected` and `peerDisconnected`.
 */
export interface PeerTransport {
  /** Peers connected now. */
  peers(): readonly string[];
  /** Sends to every connected peer. */
  broadcast(payload: Uint8Array): void;
  /** Sends to one peer, named as in `receive`. */
  send(peer: string, payload: Uint8Array): void;
  /** A peer broke the protocol: the network scores it, and disconnects and bans it past a threshold. */
  report?(peer: string, offence: PeerOffence): void;
  /** Linked and banned peers and failed checks by source (`GET /v1/peers`). */
  snapshot?(): PeerNetworkSnapshot;
}

export interface PeerRouterOptions {
  readonly transport: PeerTransport | undefined;
  readonly chain: Chain;
  readonly glue: ConsensusGlue;
  readonly sync: () => BlockSync;
  readonly gossip: () => TxGossip;
  /** Hands a peer's consensus message to the driver; `invalid` is called if its signature fails. */
  readonly consensus: (message: ConsensusMessage, invalid: () => void) => void;
  /** What consensus holds of a round of its current height (to answer a peer's request). */
  readonly roundMessages: (height: number, round: number) => ConsensusMessage[];
  /** Counts an offence by type (the router has reported it to the transport). */
  readonly offence: (type: PeerOffence) => void;
  /** A module's node-to-node payload, for that module's node service. */
  readonly moduleData?: (peer: string, module: string, payload: Uint8Array) => void;
}

/**
 * The node's side of the peer protocol: routes each peer message to consensus, block sync,
 * transaction gossip or the block candidates, answers block requests, and sends consensus
 * messages out (a proposal after the body of the block it proposes). Malformed input is the
 * peer's offence and never fails the node.
 */
export class PeerRouter {
  /** Per proposed block, the peers that were sent its body (a re-sent proposal does not re-send it). */
  private readonly bodiesSent = new Map<string, Set<string>>();
  /** Proposed blocks of this height as wire messages, encoded once. */
  private readonly encodedBodies = new Map<string, Uint8Array>();
  /** Per peer, the rounds of this height already answered: one answer each, so asking cannot amplify. */
  private readonly answered = new Map<string, Set<string>>();

  constructor(private readonly o: PeerRouterOptions) {}

  receive(peer: string, payload: Uint8Array): void {
    let message: WireMessage;
    try {
      message = decodeWire(payload);
    } catch {
      this.report(peer, 'undecodable');
      return;
    }
    switch (message.type) {
      case 'proposal':
      case 'vote': {
        const consensus = wireToConsensus(message);
        if (consensus) this.o.consensus(consensus, () => this.report(peer, 'invalid-signature'));
        return;
      }
      case 'block':
        this.o.glue.receiveBlock(message.value);
        return;
      case 'status':
        this.o.sync().onStatus(peer, message.value.height);
        return;
      case 'blockRequest':
        this.answerBlockRequest(peer, message.value.from, message.value.count);
        return;
      case 'decidedBlock':
        this.o.sync().onDecided(peer, message.value.block, message.value.certificate);
        return;
      case 'txAnnounce':
        this.o.gossip().onAnnounce(peer, message.value);
        return;
      case 'txRequest':
        this.o.gossip().onRequest(peer, message.value);
        return;
      case 'txs':
        this.o.gossip().onTxs(peer, message.value);
        return;
      case 'votesRequest':
        this.answerVotesRequest(peer, Number(message.value.height), message.value.round);
        return;
      case 'moduleData':
        this.o.moduleData?.(peer, message.value.module, message.value.payload);
        return;
    }
  }

  /**
   * A proposal goes out after the block it proposes, on the same ordered links. The body goes
   * to each peer once; the driver's periodic re-sends of the proposal do not repeat it.
   */
  broadcastConsensus(m: ConsensusMessage): void {
    const transport = this.o.transport;
    if (!transport) return;
    const wire = encodeWire(consensusToWire(m));
    if (m.kind !== 'proposal') {
      transport.broadcast(wire);
      return;
    }
    for (const peer of transport.peers()) {
      this.sendBodyOnce(peer, m.signed.message.height, m.signed.message.value);
      transport.send(peer, wire);
    }
  }

  /** Asks every peer for what it holds of a round of the height consensus is deciding. */
  requestVotes(height: number, round: number): void {
    this.o.transport?.broadcast(
      encodeWire({ type: 'votesRequest', value: { height: BigInt(height), round } }),
    );
  }

  /**
   * Sends a proposal's block to a peer unless it was sent there already (the block goes
   * first). It is encoded once per height, however many peers it goes to.
   */
  private sendBodyOnce(peer: string, height: number, value: string): void {
    let sent = this.bodiesSent.get(value);
    if (sent?.has(peer)) return;
    let wire = this.encodedBodies.get(value);
    if (!wire) {
      const block = this.o.glue.candidate(BigInt(height), value);
      if (!block) return;
      wire = encodeWire({ type: 'block', value: encodeBlock(block) });
      this.encodedBodies.set(value, wire);
    }
    if (!sent) {
      sent = new Set();
      this.bodiesSent.set(value, sent);
    }
    this.o.transport?.send(peer, wire);
    sent.add(peer);
  }

  private answerVotesRequest(peer: string, height: number, round: number): void {
    const transport = this.o.transport;
    if (!transport) return;
    let rounds = this.answered.get(peer);
    if (!rounds) {
      rounds = new Set();
      this.answered.set(peer, rounds);
    }
    const key = `${height}/${round}`;
    if (rounds.has(key)) return;
    const messages = this.o.roundMessages(height, round);
    if (messages.length === 0) return; // not our height, or nothing heard yet: it may ask again later
    rounds.add(key);
    for (const m of messages) {
      if (m.kind === 'proposal') this.sendBodyOnce(peer, height, m.signed.message.value);
      transport.send(peer, encodeWire(consensusToWire(m)));
    }
  }

  /** Counts a peer's offence and hands it to the network, which scores (and may ban) the peer. */
  report(peer: string, offence: PeerOffence): void {
    this.o.offence(offence);
    this.o.transport?.report?.(peer, offence);
  }

  /** Our height, to every peer (after a commit) or to one (a link opened). */
  announceHeight(peer?: string): void {
    const status = encodeWire({ type: 'status', value: { height: this.o.chain.height } });
    if (peer === undefined) this.o.transport?.broadcast(status);
    else this.o.transport?.send(peer, status);
  }

  peerGone(peer: string): void {
    this.o.sync().peerGone(peer);
    this.o.gossip().peerGone(peer);
    for (const sent of this.bodiesSent.values()) sent.delete(peer);
    this.answered.delete(peer);
  }

  /** A height was committed: proposals of it are settled. */
  settled(): void {
    this.bodiesSent.clear();
    this.encodedBodies.clear();
    this.answered.clear();
  }

  private answerBlockRequest(peer: string, from: bigint, count: number): void {
    const chain = this.o.chain;
    const messages = BlockSync.answer(from, count, chain.height, (h) => {
      const block = chain.block(h);
      const certificate = chain.certificate(h);
      if (!block || !certificate) return undefined;
      return encodeWire({
        type: 'decidedBlock',
        value: { block: encodeBlock(block), certificate: encodeCertificate(certificate) },
      });
    });
    for (const message of messages) this.o.transport?.send(peer, message);
  }
}
