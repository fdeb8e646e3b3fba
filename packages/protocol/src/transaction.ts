import {
  bytes,
  type Codec,
  CodecError,
  decode,
  encode,
  type Infer,
  list,
  literals,
  string,
  struct,
  u32,
  u64,
} from '@pujiang/codec';
import {
  getSuite,
  type HashAlgorithm,
  hash,
  type PublicKey,
  type SecretKey,
  SUITE_IDS,
  type SuiteId,
  sign,
} from '@pujiang/crypto';
import { bytesToHex, concatBytes, PujiangError, utf8ToBytes } from '@pujiang/types';
import {
  decodeEthereumTx,
  ETHEREUM_TX_MODULE,
  ETHEREUM_TX_VERSION,
  ethereumChainId,
  ethereumChainLabel,
} from './ethereum-tx.js';

export type TxErrorCode = 'TX_UNDECODABLE' | 'TX_TOO_LARGE';

/**
 * The version of Pujiang's own transactions. Version 2 is an Ethereum-signed transaction
 * carried whole (`ethereum-tx.ts`); no other version is read.
 */
export const TX_VERSION = 1;

/** Largest encoded signed transaction accepted anywhere (bytes). */
export const MAX_TX_BYTES = 128 * 1024;

/**
 * A transaction names its chain (so it cannot be replayed on another), its sender by suite
 * and public key, a nonce (so it cannot be replayed on this chain), the last height at which
 * it may be included, a gas limit, and a module message: module, type and payload.
 */
export const TxBody = struct('TxBody', {
  chainId: string({ max: 64 }),
  suite: literals('Suite', SUITE_IDS),
  publicKey: bytes({ max: 4096 }),
  nonce: u64,
  expiresAtHeight: u64,
  gasLimit: u64,
  module: string({ max: 32 }),
  type: string({ max: 64 }),
  payload: bytes({ max: 64 * 1024 }),
});
export type TxBody = Infer<typeof TxBody>;

/**
 * A co-signature of the body by another identity, for resources whose policy needs several
 * organizations (the executor counts endorsers' organizations with the sender's).
 */
export const Endorsement = struct('Endorsement', {
  suite: literals('Suite', SUITE_IDS),
  publicKey: bytes({ max: 4096 }),
  signature: bytes({ max: 8192 }),
});
export type Endorsement = Infer<typeof Endorsement>;

/** At most this many endorsements ride on one transaction. */
export const MAX_ENDORSEMENTS = 16;

const Endorsements = list(Endorsement, { max: MAX_ENDORSEMENTS });

export const SignedTx: Codec<{
  body: TxBody;
  endorsements: Endorsement[];
  signature: Uint8Array;
  version: number;
}> = struct('SignedTx', {
  version: u32,
  body: TxBody,
  endorsements: Endorsements,
  signature: bytes({ max: 8192 }),
});
export type SignedTx = Infer<typeof SignedTx>;

const TX_DOMAIN = utf8ToBytes('pujiang/tx/v1\0');
const ENDORSE_DOMAIN = utf8ToBytes('pujiang/endorse/v1\0');

/**
 * What the sender signs: a domain label, the canonical body and the endorsements. The sender
 * signs last, so nobody can strip an endorsement (making the transaction fail its policy and
 * burn the sender's nonce) without breaking the sender's signature.
 */
export function txSignBytes(body: TxBody, endorsements: readonly Endorsement[] = []): Uint8Array {
  return concatBytes(TX_DOMAIN, encode(TxBody, body), encode(Endorsements, [...endorsements]));
}

/** What an endorser signs: another domain label and the canonical body. */
export function endorsementSignBytes(body: TxBody): Uint8Array {
  return concatBytes(ENDORSE_DOMAIN, encode(TxBody, body));
}

/**
 * The sign bytes of a decoded transaction, taken from its wire bytes without re-encoding:
 * decoding is canonical, so body and endorsements are exactly the bytes between the version
 * and the length-prefixed signature.
 */
export function txSignBytesFromWire(tx: SignedTx, wire: Uint8Array): Uint8Array {
  const sigLength = tx.signature.length;
  const prefix = sigLength < 0x80 ? 1 : sigLength < 0x4000 ? 2 : 3; // LEB128, at most 8192
  const signed = wire.subarray(4, wire.length - prefix - sigLength);
  const out = new Uint8Array(TX_DOMAIN.length + signed.length);
  out.set(TX_DOMAIN, 0);
  out.set(signed, TX_DOMAIN.length);
  return out;
}

/** An endorsement of `body` by another identity's key. */
export function endorseTx(body: TxBody, secretKey: SecretKey): Endorsement {
  const publicKey = getSuite(secretKey.suite).publicKeyFromSecretKey(secretKey.bytes);
  return { suite: secretKey.suite, publicKey, signature: sign(secretKey, endorsementSignBytes(body)).bytes };
}

export function signTx(
  body: TxBody,
  secretKey: SecretKey,
  endorsements: readonly Endorsement[] = [],
): SignedTx {
  if (secretKey.suite !== body.suite) {
    throw new PujiangError('CRYPTO_SUITE_MISMATCH', 'the key and the transaction name different suites', {});
  }
  return {
    version: TX_VERSION,
    body,
    endorsements: [...endorsements],
    signature: sign(secretKey, txSignBytes(body, endorsements)).bytes,
  };
}

/** One signature to check: the sender's or an endorser's. */
export interface TxSignatureCheck {
  readonly suite: SuiteId;
  readonly publicKey: Uint8Array;
  readonly message: Uint8Array;
  readonly signature: Uint8Array;
}

/**
 * Every signature a transaction carries, as items for a verification pool: the sender's
 * first, then each endorsement's. `wire` spares re-encoding the sender's sign bytes.
 */
export function txSignatureChecks(tx: SignedTx, wire?: Uint8Array): TxSignatureCheck[] {
  // An Ethereum transaction's signer was recovered from its signature when it was decoded.
  if (tx.version === ETHEREUM_TX_VERSION) return [];
  const checks: TxSignatureCheck[] = [
    {
      suite: tx.body.suite,
      publicKey: tx.body.publicKey,
      message: wire ? txSignBytesFromWire(tx, wire) : txSignBytes(tx.body, tx.endorsements),
      signature: tx.signature,
    },
  ];
  if (tx.endorsements.length > 0) {
    const message = endorsementSignBytes(tx.body);
    for (const e of tx.endorsements)
      checks.push({ suite: e.suite, publicKey: e.publicKey, message, signature: e.signature });
  }
  return checks;
}

export function encodeTx(tx: SignedTx): Uint8Array {
  if (tx.version === ETHEREUM_TX_VERSION) return concatBytes(VERSION_2_PREFIX, tx.body.payload);
  return encode(SignedTx, tx);
}

const VERSION_2_PREFIX = new Uint8Array([0, 0, 0, ETHEREUM_TX_VERSION]);
const NO_EXPIRY = (1n << 64n) - 1n;

/**
 * A version-2 transaction as the chain sees it: the recovered secp256k1 key is the sender,
 * the Ethereum nonce and gas limit are the transaction's, it never expires (Ethereum
 * transactions carry no expiry), and it is an `evm/deploy` (no recipient) or `evm/call`
 * message whose payload is the raw Ethereum bytes.
 */
function decodeEthereumEnvelope(wire: Uint8Array): SignedTx {
  const raw = wire.slice(4);
  const eth = decodeEthereumTx(raw);
  return {
    version: ETHEREUM_TX_VERSION,
    body: {
      chainId: ethereumChainLabel(eth.chainId),
      suite: 'secp256k1',
      publicKey: eth.publicKey,
      nonce: eth.nonce,
      expiresAtHeight: NO_EXPIRY,
      gasLimit: eth.gasLimit,
      module: ETHEREUM_TX_MODULE,
      type: eth.to === undefined ? 'deploy' : 'call',
      payload: raw,
    },
    endorsements: [],
    signature: new Uint8Array(0),
  };
}

const ethereumLabels = new Map<string, string>();

/**
 * Whether a transaction is for the chain `chainId`: its body names it, or, for an Ethereum
 * transaction, the chain's EIP-155 id (`ethereumChainId`).
 */
export function txIsForChain(tx: SignedTx, chainId: string): boolean {
  if (tx.version !== ETHEREUM_TX_VERSION) return tx.body.chainId === chainId;
  let label = ethereumLabels.get(chainId);
  if (label === undefined) {
    label = ethereumChainLabel(ethereumChainId(chainId));
    if (ethereumLabels.size > 64) ethereumLabels.clear();
    ethereumLabels.set(chainId, label);
  }
  return tx.body.chainId === label;
}

/** Decodes a signed transaction from the wire; anything malformed or too large is a typed error. */
export function decodeTx(wire: Uint8Array): SignedTx {
  if (!(wire instanceof Uint8Array))
    throw new PujiangError<TxErrorCode>('TX_UNDECODABLE', 'not a transaction: expected bytes', {});
  if (wire.length > MAX_TX_BYTES) {
    throw new PujiangError<TxErrorCode>('TX_TOO_LARGE', `a transaction is at most ${MAX_TX_BYTES} bytes`, {
      size: wire.length,
    });
  }
  if (wire.length > 4 && wire[0] === 0 && wire[1] === 0 && wire[2] === 0 && wire[3] === ETHEREUM_TX_VERSION)
    return decodeEthereumEnvelope(wire);
  let tx: SignedTx;
  try {
    tx = decode(SignedTx, wire);
  } catch (error) {
    if (error instanceof CodecError) {
      throw new PujiangError<TxErrorCode>('TX_UNDECODABLE', `not a transaction: ${error.message}`, {
        cause: error.code,
      });
    }
    throw error;
  }
  // The version is outside the signed body; accepting any value would let anyone change a
  // transaction's hash without its signature failing.
  if (tx.version !== TX_VERSION) {
    throw new PujiangError<TxErrorCode>('TX_UNDECODABLE', `unsupported transaction version ${tx.version}`, {
      version: tx.version,
    });
  }
  return tx;
}

/** The transaction's id: the chain hash of its canonical encoding (signature included). */
export function txHash(algorithm: HashAlgorithm, tx: SignedTx): string {
  return bytesToHex(hash(algorithm, encodeTx(tx)));
}

export function senderKey(body: TxBody): PublicKey {
  return { suite: body.suite as SuiteId, bytes: body.publicKey };
}

/** Every signature checked in this thread (the mempool uses the worker pool instead). */
export function verifyTxSignature(tx: SignedTx): boolean {
  try {
    return txSignatureChecks(tx).every((c) => getSuite(c.suite).verify(c.publicKey, c.message, c.signature));
  } catch {
    return false;
  }
}

export function endorserKeys(tx: SignedTx): PublicKey[] {
  return tx.endorsements.map((e) => ({ suite: e.suite as SuiteId, bytes: e.publicKey }));
}
