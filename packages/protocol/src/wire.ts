import {
  bytes,
  CodecError,
  decode,
  encode,
  fixedBytes,
  type Infer,
  list,
  literals,
  string,
  struct,
  u32,
  u64,
  union,
} from '@pujiang/codec';
import type { ConsensusMessage } from '@pujiang/consensus';
import { bytesToHex, hexToBytes, PujiangError } from '@pujiang/types';
import { MAX_TX_BYTES } from './transaction.js';

/**
 * What validators send each other (the peer network's payloads), in the canonical encoding:
 * consensus proposals and votes (signed by validator keys, so their validity never depends
 * on the link), the body of a proposed block (sent before its proposal), status and block
 * sync (ranges of decided blocks with their certificates), and transaction gossip that
 * announces hashes and lets peers pull the bodies they lack, and requests for the votes of a round. Anything that does not decode is `WIRE_UNDECODABLE`.
 */
export type WireErrorCode = 'WIRE_UNDECODABLE';

const MAX_BLOCK_BYTES = 64 * 1024 * 1024;
/** Hashes (or bodies) in one gossip message. */
export const MAX_TX_HASHES = 4096;
/** Decided blocks asked for in one request. */
export const MAX_BLOCKS_PER_REQUEST = 64;

const ValueOrNil = union('WireValue', { nil: struct('WireNil', {}), value: fixedBytes(32) });

export const WireMessage = union('WireMessage', {
  proposal: struct('WireProposal', {
    height: u64,
    round: u32,
    value: fixedBytes(32),
    validRoundPlusOne: u32,
    proposer: u32,
    signature: bytes({ max: 16_384 }),
  }),
  vote: struct('WireVote', {
    type: literals('WireVoteType', ['prevote', 'precommit'] as const),
    height: u64,
    round: u32,
    value: ValueOrNil,
    validator: u32,
    signature: bytes({ max: 16_384 }),
  }),
  /** A proposed block's encoding (`encodeBlock`); its hash is the value voted on. */
  block: bytes({ max: MAX_BLOCK_BYTES }),
  /** The sender's committed height: sent when a link opens and after every commit (block sync follows it). */
  status: struct('WireStatus', { height: u64 }),
  /** Asks for up to `count` decided blocks from height `from`, each answered as a `decidedBlock`. */
  blockRequest: struct('WireBlockRequest', { from: u64, count: u32 }),
  /** A decided block with its commit certificate (`encodeCertificate`). */
  decidedBlock: struct('WireDecided', {
    block: bytes({ max: MAX_BLOCK_BYTES }),
    certificate: bytes({ max: 4 << 20 }),
  }),
  /** Hashes of transactions the sender holds (gossip announces; a peer pulls what it lacks). */
  txAnnounce: list(fixedBytes(32), { max: MAX_TX_HASHES }),
  /** Asks for the bodies of announced transactions. */
  txRequest: list(fixedBytes(32), { max: MAX_TX_HASHES }),
  /** Transaction bodies (answers to `txRequest`). */
  txs: list(bytes({ max: MAX_TX_BYTES }), { max: MAX_TX_HASHES }),
  /**
   * Asks for the proposal (after its block) and the votes the receiver holds of a round of its
   * current height, as signed: Tendermint's liveness needs every vote a correct node heard to
   * reach the others, also when its signer crashed right after sending it to some of them.
   */
  votesRequest: struct('WireVotesRequest', { height: u64, round: u32 }),
  /** A module's node-to-node payload (its node service's protocol, e.g. private data for some peers only). */
  moduleData: struct('WireModuleData', { module: string({ max: 32 }), payload: bytes({ max: 8 << 20 }) }),
});
export type WireMessage = Infer<typeof WireMessage>;

export function encodeWire(message: WireMessage): Uint8Array {
  let hint = 256;
  if (message.type === 'block') hint = message.value.length + 16;
  else if (message.type === 'txAnnounce' || message.type === 'txRequest')
    hint = message.value.length * 33 + 16;
  else if (message.type === 'txs') for (const tx of message.value) hint += tx.length + 4;
  else if (message.type === 'decidedBlock')
    hint = message.value.block.length + message.value.certificate.length + 32;
  return encode(WireMessage, message, hint);
}

export function decodeWire(bytesIn: Uint8Array): WireMessage {
  try {
    return decode(WireMessage, bytesIn);
  } catch (error) {
    if (error instanceof CodecError)
      throw new PujiangError<WireErrorCode>('WIRE_UNDECODABLE', `not a peer message: ${error.message}`, {
        cause: error.code,
      });
    throw error;
  }
}

/** A consensus message as a wire message. */
export function consensusToWire(m: ConsensusMessage): WireMessage {
  const { message, signature } = m.signed;
  if (m.kind === 'proposal') {
    const p = m.signed.message;
    return {
      type: 'proposal',
      value: {
        height: BigInt(p.height),
        round: p.round,
        value: hexToBytes(p.value),
        validRoundPlusOne: p.validRound + 1,
        proposer: p.proposer,
        signature,
      },
    };
  }
  const v = m.signed.message;
  return {
    type: 'vote',
    value: {
      type: v.type,
      height: BigInt(message.height),
      round: v.round,
      value: v.value === null ? { type: 'nil', value: {} } : { type: 'value', value: hexToBytes(v.value) },
      validator: v.validator,
      signature,
    },
  };
}

/** The consensus message of a proposal or vote wire message (the driver checks everything else). */
export function wireToConsensus(w: WireMessage): ConsensusMessage | undefined {
  if (w.type === 'proposal') {
    const p = w.value;
    return {
      kind: 'proposal',
      signed: {
        message: {
          height: Number(p.height),
          round: p.round,
          value: bytesToHex(p.value),
          validRound: p.validRoundPlusOne - 1,
          proposer: p.proposer,
        },
        signature: p.signature,
      },
    };
  }
  if (w.type === 'vote') {
    const v = w.value;
    return {
      kind: 'vote',
      signed: {
        message: {
          type: v.type,
          height: Number(v.height),
          round: v.round,
          value: v.value.type === 'nil' ? null : bytesToHex(v.value.value),
          validator: v.validator,
        },
        signature: v.signature,
      },
    };
  }
  return undefined;
}
