import { addressOf, buildTransaction, type Genesis, type PujiangClient } from '@pujiang/sdk/browser';
import type { Trust } from './connection.js';

/** Why the page refuses to sign, or undefined when it may. */
export type SigningRefusal =
  /** The node serves another genesis than the pinned one. */
  | { readonly kind: 'mismatch'; readonly pinned: string; readonly node: string }
  /** The node's status names another chain than the pinned genesis. */
  | { readonly kind: 'status'; readonly pinned: string; readonly node: string };

/** Whether the page may sign for this node: its genesis and its status must both name the pinned chain. */
export function signingRefusal(
  trust: Trust,
  genesis: Genesis,
  statusChainId?: string,
): SigningRefusal | undefined {
  if (trust.kind === 'mismatch') return { kind: 'mismatch', pinned: trust.chainId, node: trust.nodeChainId };
  if (statusChainId !== undefined && statusChainId !== genesis.chainId)
    return { kind: 'status', pinned: genesis.chainId, node: statusChainId };
  return undefined;
}

type SendTransaction = PujiangClient['sendTransaction'];

/**
 * The node's client, except that a transaction is signed for the PINNED chain: the SDK's
 * `sendTransaction` takes the chain id and hash from the node's `/v1/status`, so a node could
 * have the page sign for another chain. Here the chain id and hash come from the pinned
 * genesis, and a node whose status names another chain is refused before anything is signed.
 * Only the nonce and the current height (for expiry) are the node's word; a wrong one makes
 * the transaction fail, never sign something else. Governance's client calls take this as
 * their client.
 */
export function pinnedSigner(client: PujiangClient, genesis: Genesis): PujiangClient {
  const sendTransaction: SendTransaction = async (parameters) => {
    const status = await client.getStatus();
    if (status.chainId !== genesis.chainId)
      throw new Error(
        `the node's status names chain ${status.chainId}, not the pinned ${genesis.chainId}: nothing was signed`,
      );
    const { key } = parameters;
    const nonce =
      parameters.nonce ?? BigInt((await client.getAccount(addressOf(genesis.chainHash, key))).pendingNonce);
    const built = buildTransaction({
      chainId: genesis.chainId,
      chainHash: genesis.chainHash,
      key,
      nonce,
      expiresAtHeight: status.height + (parameters.expiresIn ?? 100),
      module: parameters.module,
      type: parameters.type,
      payload: parameters.payload,
      ...(parameters.gasLimit === undefined ? {} : { gasLimit: parameters.gasLimit }),
      ...(parameters.endorsers === undefined ? {} : { endorsers: parameters.endorsers }),
    });
    const result = await client.submitTx(built, {
      ...(parameters.wait === undefined ? {} : { wait: parameters.wait }),
      ...(parameters.waitTimeoutMs === undefined ? {} : { waitTimeoutMs: parameters.waitTimeoutMs }),
      ...(parameters.throwOnFailure === undefined ? {} : { throwOnFailure: parameters.throwOnFailure }),
    });
    return { hash: built.hash, nonce: BigInt(nonce), built, result };
  };
  // Every other call (reads) goes to the node's client unchanged.
  return Object.assign(Object.create(client) as PujiangClient, { sendTransaction });
}
