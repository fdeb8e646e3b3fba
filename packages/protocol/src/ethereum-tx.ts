import { RLP } from '@ethereumjs/rlp';
import { hash, keccak256, recoverEthereumSigner } from '@pujiang/crypto';
import { bytesToHex, concatBytes, PujiangError, utf8ToBytes } from '@pujiang/types';

/**
 * Ethereum-signed transactions (EIP-155 legacy, EIP-2930 and EIP-1559), as
 * `eth_sendRawTransaction` takes them. They ride on the chain as transaction version 2:
 * the 4-byte version, then the raw Ethereum bytes unchanged, so the Ethereum signature is
 * the transaction's signature and its Keccak hash is the one wallets wait for.
 */
export const ETHEREUM_TX_VERSION = 2;

/** The module that executes Ethereum transactions. */
export const ETHEREUM_TX_MODULE = 'evm';

export interface EthereumTx {
  /** 0 legacy (EIP-155), 1 EIP-2930, 2 EIP-1559. */
  readonly type: 0 | 1 | 2;
  readonly chainId: bigint;
  readonly nonce: bigint;
  readonly gasLimit: bigint;
  /** Legacy and EIP-2930: the gas price; EIP-1559: the fee cap. */
  readonly maxFeePerGas: bigint;
  readonly maxPriorityFeePerGas: bigint;
  /** Absent: a contract creation. */
  readonly to: Uint8Array | undefined;
  readonly value: bigint;
  readonly data: Uint8Array;
  readonly accessList: readonly {
    readonly address: Uint8Array;
    readonly storageKeys: readonly Uint8Array[];
  }[];
  readonly r: bigint;
  readonly s: bigint;
  /** EIP-2930/1559: y parity; legacy: v. */
  readonly v: bigint;
  /** The signer's compressed secp256k1 key (recovered). */
  readonly publicKey: Uint8Array;
  /** Keccak-256 of the raw bytes: the hash Ethereum tools know the transaction by. */
  readonly hash: Uint8Array;
}

const MAX_U64 = (1n << 64n) - 1n;
const MAX_U256 = (1n << 256n) - 1n;

/** EIP-3860: the most init code a deployment may carry. */
export const MAX_INITCODE_BYTES = 49_152;

const refuse = (message: string, details: Record<string, unknown> = {}): PujiangError =>
  new PujiangError('TX_UNDECODABLE', `not an Ethereum transaction: ${message}`, details);

/** A canonical unsigned integer field (no leading zero byte), at most `bits` wide. */
function uint(field: unknown, name: string, bits = 256): bigint {
  if (!(field instanceof Uint8Array)) throw refuse(`${name} is not a byte string`, { field: name });
  if (field.length > 0 && field[0] === 0) throw refuse(`${name} has a leading zero`, { field: name });
  if (field.length * 8 > bits) throw refuse(`${name} is wider than ${bits} bits`, { field: name });
  let v = 0n;
  for (const b of field) v = (v << 8n) | BigInt(b);
  return v;
}

function bytesField(field: unknown, name: string): Uint8Array {
  if (!(field instanceof Uint8Array)) throw refuse(`${name} is not a byte string`, { field: name });
  return field;
}

function toField(field: unknown): Uint8Array | undefined {
  const to = bytesField(field, 'to');
  if (to.length === 0) return undefined;
  if (to.length !== 20) throw refuse('to is neither empty nor 20 bytes', { field: 'to' });
  return to;
}

function accessListField(field: unknown): EthereumTx['accessList'] {
  if (!Array.isArray(field)) throw refuse('accessList is not a list', { field: 'accessList' });
  return field.map((item) => {
    if (!Array.isArray(item) || item.length !== 2 || !Array.isArray(item[1]))
      throw refuse('an accessList entry is not [address, [keys]]', { field: 'accessList' });
    const address = bytesField(item[0], 'accessList');
    const storageKeys = (item[1] as unknown[]).map((k) => bytesField(k, 'accessList'));
    if (address.length !== 20 || storageKeys.some((k) => k.length !== 32))
      throw refuse('an accessList entry has a malformed address or key', { field: 'accessList' });
    return { address, storageKeys };
  });
}

function decodeList(bytes: Uint8Array, fields: number): unknown[] {
  let list: unknown;
  try {
    list = RLP.decode(bytes);
  } catch (cause) {
    throw refuse('malformed RLP', { cause: String(cause) });
  }
  if (!Array.isArray(list) || list.length !== fields)
    throw refuse(`expected an RLP list of ${fields} fields`, { fields });
  return list;
}

/**
 * Decodes and checks a raw Ethereum transaction and recovers its signer. Refuses unsigned,
 * pre-EIP-155 (replayable on any chain), blob (EIP-4844) and set-code (EIP-7702) forms with
 * `TX_UNDECODABLE`, and a signature that recovers no key or is not canonical (high s) too.
 */
export function decodeEthereumTx(raw: Uint8Array): EthereumTx {
  if (raw.length === 0) throw refuse('empty');
  const first = raw[0]!;
  const txHash = keccak256(raw);
  if (first >= 0xc0) {
    const f = decodeList(raw, 9);
    const v = uint(f[6], 'v');
    if (v < 37n) throw refuse('legacy transactions must carry an EIP-155 chain id', { field: 'v' });
    const chainId = (v - 35n) >> 1n;
    const yParity = Number((v - 35n) & 1n);
    const signed = RLP.encode([
      ...(f.slice(0, 6) as Uint8Array[]),
      bigToBytes(chainId),
      new Uint8Array(),
      new Uint8Array(),
    ]);
    const gasPrice = uint(f[1], 'gasPrice');
    return finish(txHash, signed, yParity, {
      type: 0,
      chainId,
      nonce: uint(f[0], 'nonce', 64),
      maxFeePerGas: gasPrice,
      maxPriorityFeePerGas: gasPrice,
      gasLimit: uint(f[2], 'gasLimit', 64),
      to: toField(f[3]),
      value: uint(f[4], 'value'),
      data: bytesField(f[5], 'data'),
      accessList: [],
      v,
      r: uint(f[7], 'r'),
      s: uint(f[8], 's'),
    });
  }
  if (first === 0x01 || first === 0x02) {
    const eip1559 = first === 0x02;
    const f = decodeList(raw.subarray(1), eip1559 ? 12 : 11);
    const at = eip1559 ? 1 : 0; // EIP-1559 has two fee fields where EIP-2930 has one
    const yParity = uint(f[f.length - 3], 'yParity', 8);
    if (yParity > 1n) throw refuse('yParity is neither 0 nor 1', { field: 'yParity' });
    const signed = concatBytes(new Uint8Array([first]), RLP.encode(f.slice(0, f.length - 3) as never));
    const feeCap = uint(f[2 + at], eip1559 ? 'maxFeePerGas' : 'gasPrice');
    const tip = eip1559 ? uint(f[2], 'maxPriorityFeePerGas') : feeCap;
    if (tip > feeCap)
      throw refuse('maxPriorityFeePerGas exceeds maxFeePerGas', { field: 'maxPriorityFeePerGas' });
    return finish(txHash, signed, Number(yParity), {
      type: eip1559 ? 2 : 1,
      chainId: uint(f[0], 'chainId', 64),
      nonce: uint(f[1], 'nonce', 64),
      maxFeePerGas: feeCap,
      maxPriorityFeePerGas: tip,
      gasLimit: uint(f[3 + at], 'gasLimit', 64),
      to: toField(f[4 + at]),
      value: uint(f[5 + at], 'value'),
      data: bytesField(f[6 + at], 'data'),
      accessList: accessListField(f[7 + at]),
      v: yParity,
      r: uint(f[f.length - 2], 'r'),
      s: uint(f[f.length - 1], 's'),
    });
  }
  throw refuse(`transaction type 0x${first.toString(16).padStart(2, '0')} is not accepted`, { type: first });
}

/**
 * Signers recovered lately, by the Keccak hash of the raw bytes (which the signature covers):
 * a node decodes a transaction at admission, in the block that holds it and in views of it,
 * and recovery is the costly part.
 */
const signers = new Map<string, Uint8Array>();
const MAX_SIGNERS = 8192;

function finish(
  txHash: Uint8Array,
  signed: Uint8Array,
  yParity: number,
  tx: Omit<EthereumTx, 'publicKey' | 'hash'>,
): EthereumTx {
  if (tx.nonce >= MAX_U64) throw refuse('nonce is at its maximum (EIP-2681)', { field: 'nonce' });
  // What an Ethereum client refuses before running (the interpreter's constructors throw on it).
  if (tx.gasLimit * tx.maxFeePerGas > MAX_U256)
    throw refuse('gas limit times fee cap exceeds 2^256 - 1', { field: 'gasLimit' });
  if (tx.to === undefined && tx.data.length > MAX_INITCODE_BYTES)
    throw refuse(`init code exceeds ${MAX_INITCODE_BYTES} bytes (EIP-3860)`, { field: 'data' });
  const id = bytesToHex(txHash);
  const known = signers.get(id);
  if (known !== undefined) return { ...tx, publicKey: known.slice(), hash: txHash };
  let publicKey: Uint8Array;
  try {
    publicKey = recoverEthereumSigner(keccak256(signed), tx.r, tx.s, yParity);
    if (signers.size >= MAX_SIGNERS) signers.delete(signers.keys().next().value!);
    signers.set(id, publicKey.slice());
  } catch (error) {
    throw new PujiangError(
      'TX_BAD_SIGNATURE',
      `the Ethereum signature does not verify: ${(error as Error).message}`,
      {},
    );
  }
  return { ...tx, publicKey, hash: txHash };
}

function bigToBytes(v: bigint): Uint8Array {
  const hex = v === 0n ? '' : v.toString(16);
  const even = hex.length % 2 === 1 ? `0${hex}` : hex;
  const out = new Uint8Array(even.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(even.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/**
 * The EIP-155 chain id of a Pujiang chain: derived from its chain id, so every node and every
 * client agrees without configuration. 31 bits of SHA-256("pujiang/eip155/v1\0" || chainId),
 * so it fits every tool's integer and legacy `v` (chainId * 2 + 36) stays below 2^32.
 */
export function ethereumChainId(chainId: string): bigint {
  const digest = hash('sha256', concatBytes(utf8ToBytes('pujiang/eip155/v1\0'), utf8ToBytes(chainId)));
  const n = ((digest[0]! << 24) | (digest[1]! << 16) | (digest[2]! << 8) | digest[3]!) & 0x7fffffff;
  return BigInt(n === 0 ? 1 : n);
}

/** The body `chainId` a version-2 transaction carries: `eip155:<id>`. */
export const ethereumChainLabel = (chainId: bigint): string => `eip155:${chainId}`;

/** The Ethereum hash (0x-less hex) of a version-2 transaction's payload. */
export const ethereumTxHash = (raw: Uint8Array): string => bytesToHex(keccak256(raw));
