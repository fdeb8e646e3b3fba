import { randomBytes } from 'node:crypto';
import { encode } from '@pujiang/codec';
import type { HashAlgorithm } from '@pujiang/crypto';
import { BANK_MODULE, BankTransfer } from '@pujiang/module-bank';
import { type DocumentDigest, NOTARY_MODULE, NotaryAnchor, singleDigestRoot } from '@pujiang/module-notary';
import { hexToBytes } from '@pujiang/types';

/** What the load generator's transactions carry: bank transfers (node, network groups) or single-digest anchors (notary group). */
export type TxMessage = 'transfer' | 'notaryAnchor';

/** A module message ready to sign. */
export interface ModuleMessage {
  readonly module: string;
  readonly type: string;
  readonly payload: Uint8Array;
}

/** A transfer of 1 unit to `to` (address, hex). */
export function transferMessage(to: string): ModuleMessage {
  return {
    module: BANK_MODULE,
    type: 'transfer',
    payload: encode(BankTransfer, { to: hexToBytes(to), amount: 1n }),
  };
}

/** `notary/anchor` of `count` digests under `root`, no metadata (owner: the sender). */
export function anchorMessage(root: Uint8Array, count: number, algorithm: DocumentDigest): ModuleMessage {
  return {
    module: NOTARY_MODULE,
    type: 'anchor',
    payload: encode(NotaryAnchor, { root, count, algorithm, owner: '', docType: '', tags: [], ref: '' }),
  };
}

/**
 * `notary/anchor` of one document digest: the root is the digest's leaf hash (a one-leaf
 * batch), as the SDK's `notarize` sends for a single document. Without `digest`, a fresh
 * random one: the first anchoring of a root stands, so every anchor of a run must differ.
 */
export function singleDigestMessage(
  chainHash: HashAlgorithm,
  digest: Uint8Array = randomBytes(32),
): ModuleMessage {
  return anchorMessage(singleDigestRoot(chainHash, { algorithm: 'sha256', digest }), 1, 'sha256');
}
