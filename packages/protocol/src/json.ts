import type { CommitCertificate } from '@pujiang/consensus';
import type { MerkleProof } from '@pujiang/crypto';
import { bytesToHex, hexToBytes, PujiangError } from '@pujiang/types';
import type { BlockHeader } from './block.js';
import type { SignedTx } from './transaction.js';

/**
 * JSON forms of protocol values, used only at the API edge (everything hashed or signed
 * uses the canonical encoding). Bytes are lowercase hex; u64 values are decimal strings,
 * except heights, which are JSON numbers. The `...FromJson` functions read untrusted input
 * (a server's answer, a receipt file) and throw `PROTOCOL_BAD_JSON` on anything malformed.
 */
export type ProtocolErrorCode = 'PROTOCOL_BAD_JSON';

export function badJson(
  what: string,
  details: Record<string, unknown> = {},
): PujiangError<ProtocolErrorCode> {
  return new PujiangError<ProtocolErrorCode>('PROTOCOL_BAD_JSON', `malformed ${what}`, details);
}

function field(o: unknown, name: string, what: string): unknown {
  if (typeof o !== 'object' || o === null) throw badJson(what, { expected: 'object' });
  return (o as Record<string, unknown>)[name];
}

function hexField(o: unknown, name: string, what: string, length?: number): Uint8Array {
  const v = field(o, name, what);
  if (typeof v !== 'string' || !/^([0-9a-f]{2})*$/.test(v)) throw badJson(what, { field: name });
  const bytes = hexToBytes(v);
  if (length !== undefined && bytes.length !== length) throw badJson(what, { field: name, length });
  return bytes;
}

function natField(o: unknown, name: string, what: string): number {
  const v = field(o, name, what);
  if (!Number.isSafeInteger(v) || (v as number) < 0) throw badJson(what, { field: name });
  return v as number;
}

function u64Field(o: unknown, name: string, what: string): bigint {
  const v = field(o, name, what);
  if (typeof v !== 'string' || !/^(0|[1-9][0-9]{0,19})$/.test(v) || BigInt(v) >= 1n << 64n)
    throw badJson(what, { field: name });
  return BigInt(v);
}

function stringField(o: unknown, name: string, what: string): string {
  const v = field(o, name, what);
  if (typeof v !== 'string') throw badJson(what, { field: name });
  return v;
}

function arrayField(o: unknown, name: string, what: string, max: number): unknown[] {
  const v = field(o, name, what);
  if (!Array.isArray(v) || v.length > max) throw badJson(what, { field: name });
  return v;
}

export interface BlockHeaderJson {
  version: number;
  chainId: string;
  height: number;
  time: string;
  previousHash: string;
  txRoot: string;
  txCount: number;
  stateRoot: string;
  resultsRoot: string;
  proposer: string;
}

export function headerToJson(h: BlockHeader): BlockHeaderJson {
  return {
    version: h.version,
    chainId: h.chainId,
    height: Number(h.height),
    time: String(h.time),
    previousHash: bytesToHex(h.previousHash),
    txRoot: bytesToHex(h.txRoot),
    txCount: h.txCount,
    stateRoot: bytesToHex(h.stateRoot),
    resultsRoot: bytesToHex(h.resultsRoot),
    proposer: bytesToHex(h.proposer),
  };
}

export function headerFromJson(j: unknown): BlockHeader {
  const what = 'block header';
  return {
    version: natField(j, 'version', what),
    chainId: stringField(j, 'chainId', what),
    height: BigInt(natField(j, 'height', what)),
    time: u64Field(j, 'time', what),
    previousHash: hexField(j, 'previousHash', what, 32),
    txRoot: hexField(j, 'txRoot', what, 32),
    txCount: natField(j, 'txCount', what),
    stateRoot: hexField(j, 'stateRoot', what, 32),
    resultsRoot: hexField(j, 'resultsRoot', what, 32),
    proposer: hexField(j, 'proposer', what, 21),
  };
}

export interface CommitCertificateJson {
  height: number;
  round: number;
  value: string;
  precommits: { validator: number; signature: string }[];
}

/** Every precommit of a certificate is for the certificate's height, round and value, so only the signer and signature travel. */
export function certificateToJson(c: CommitCertificate): CommitCertificateJson {
  return {
    height: c.height,
    round: c.round,
    value: c.value,
    precommits: c.precommits.map((p) => ({
      validator: p.message.validator,
      signature: bytesToHex(p.signature),
    })),
  };
}

export function certificateFromJson(j: unknown): CommitCertificate {
  const what = 'commit certificate';
  const height = natField(j, 'height', what);
  const round = natField(j, 'round', what);
  const value = bytesToHex(hexField(j, 'value', what, 32));
  return {
    height,
    round,
    value,
    precommits: arrayField(j, 'precommits', what, 10_000).map((p) => ({
      message: {
        type: 'precommit' as const,
        height,
        round,
        value,
        validator: natField(p, 'validator', what),
      },
      signature: hexField(p, 'signature', what),
    })),
  };
}

export interface MerkleProofJson {
  leafIndex: number;
  treeSize: number;
  path: string[];
}

export function merkleProofToJson(p: MerkleProof): MerkleProofJson {
  return { leafIndex: p.leafIndex, treeSize: p.treeSize, path: p.path.map(bytesToHex) };
}

export function merkleProofFromJson(j: unknown): MerkleProof {
  const what = 'Merkle proof';
  return {
    leafIndex: natField(j, 'leafIndex', what),
    treeSize: natField(j, 'treeSize', what),
    path: arrayField(j, 'path', what, 64).map((h, i) => hexField({ h }, 'h', `${what} path[${i}]`, 32)),
  };
}

/** The state tree's proof (see @pujiang/state `StateProof`), as JSON. */
export interface StateProofJson {
  siblings: string[];
  terminal: { kind: 'leaf'; path: string; valueHash: string } | { kind: 'empty' };
}

export interface StateProofValue {
  readonly siblings: readonly Uint8Array[];
  readonly terminal:
    | { readonly kind: 'leaf'; readonly path: Uint8Array; readonly valueHash: Uint8Array }
    | { readonly kind: 'empty' };
}

export function stateProofToJson(p: StateProofValue): StateProofJson {
  return {
    siblings: p.siblings.map(bytesToHex),
    terminal:
      p.terminal.kind === 'leaf'
        ? { kind: 'leaf', path: bytesToHex(p.terminal.path), valueHash: bytesToHex(p.terminal.valueHash) }
        : { kind: 'empty' },
  };
}

export function stateProofFromJson(j: unknown): StateProofValue {
  const what = 'state proof';
  const siblings = arrayField(j, 'siblings', what, 256).map((h, i) =>
    hexField({ h }, 'h', `${what} sibling ${i}`, 32),
  );
  const t = field(j, 'terminal', what);
  const kind = field(t, 'kind', what);
  if (kind === 'empty') return { siblings, terminal: { kind: 'empty' } };
  if (kind !== 'leaf') throw badJson(what, { field: 'terminal.kind' });
  const length = hexField(t, 'path', what).length;
  return {
    siblings,
    terminal: {
      kind: 'leaf',
      path: hexField(t, 'path', what, length),
      valueHash: hexField(t, 'valueHash', what, length),
    },
  };
}

/** A transaction's decoded view (the canonical bytes are what count; this is for reading). */
export interface TxJson {
  version: number;
  chainId: string;
  suite: string;
  publicKey: string;
  nonce: string;
  expiresAtHeight: string;
  gasLimit: string;
  module: string;
  type: string;
  payload: string;
  endorsements: { suite: string; publicKey: string; signature: string }[];
  signature: string;
}

export function txToJson(tx: SignedTx): TxJson {
  const b = tx.body;
  return {
    version: tx.version,
    chainId: b.chainId,
    suite: b.suite,
    publicKey: bytesToHex(b.publicKey),
    nonce: String(b.nonce),
    expiresAtHeight: String(b.expiresAtHeight),
    gasLimit: String(b.gasLimit),
    module: b.module,
    type: b.type,
    payload: bytesToHex(b.payload),
    endorsements: tx.endorsements.map((e) => ({
      suite: e.suite,
      publicKey: bytesToHex(e.publicKey),
      signature: bytesToHex(e.signature),
    })),
    signature: bytesToHex(tx.signature),
  };
}
