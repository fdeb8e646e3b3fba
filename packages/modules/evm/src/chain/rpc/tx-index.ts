import { deriveAddress } from '@pujiang/crypto';
import type { RouteHost, SearchIndexUpdate, TxIndexEntry } from '@pujiang/module-kit';
import { ETHEREUM_TX_VERSION, ethereumTxHash, senderKey } from '@pujiang/protocol';
import { bytesToHex } from '@pujiang/types';
import { EVM_MODULE } from '../../formats.js';
import { senderEvmAddress } from '../addresses.js';

/**
 * The module's node-local index, written with each committed block (whatever the
 * transaction's outcome, so a reverted transaction is found too):
 * - `tx/<Keccak hash>/<height, 16 hex>/<index, 8 hex>`: where an Ethereum-signed transaction is;
 * - `from/<EVM address>/<chain address>`: whose account an EVM address is (for its nonce),
 *   from the sender of any EVM transaction and of any secp256k1-signed transaction of any
 *   module: a member's key registers itself (a governance transaction, nonce 0) before it
 *   sends its first Ethereum transaction, whose nonce tools read from eth_getTransactionCount.
 */
export function evmTxIndex(
  entry: TxIndexEntry,
  at: { readonly height: bigint },
): SearchIndexUpdate | undefined {
  const { tx, index, chainHash } = entry;
  const key = senderKey(tx.body);
  if (tx.body.module !== EVM_MODULE && key.suite !== 'secp256k1') return undefined;
  const chainAddress = bytesToHex(deriveAddress(chainHash, key));
  const put = [`from/${senderEvmAddress(key, chainAddress)}/${chainAddress}`];
  if (tx.version === ETHEREUM_TX_VERSION)
    put.push(
      `tx/${ethereumTxHash(tx.body.payload)}/${at.height.toString(16).padStart(16, '0')}/${index.toString(16).padStart(8, '0')}`,
    );
  return { put };
}

/** Where a transaction is, by its Ethereum hash (or, for a native one, its chain hash). */
export function locateEthTx(host: RouteHost, hash: string): { height: bigint; index: number } | undefined {
  const [key] = host.scanIndex(`tx/${hash}/`, `tx/${hash}0`, 1);
  if (key !== undefined) {
    const [, , height, index] = key.split('/');
    return { height: BigInt(`0x${height}`), index: Number.parseInt(index!, 16) };
  }
  return host.blocks.locate(hash);
}

/** The chain address behind an EVM address, once it has sent an EVM transaction. */
export function chainAddressOf(host: RouteHost, evmAddress: string): string | undefined {
  const [key] = host.scanIndex(`from/${evmAddress}/`, `from/${evmAddress}0`, 1);
  return key?.split('/')[2];
}
