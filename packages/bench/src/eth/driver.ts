import { privateKeyToAccount } from 'viem/accounts';
import { BlockWatcher } from '../block-watcher.js';
import type { LoadDriver } from '../load-driver.js';
import type { LoadPlan } from '../load-plan.js';
import { presignEth } from '../presign.js';
import { EthBlockWatcher } from './block-watcher.js';
import { EthRpc } from './rpc.js';
import { EthTransport } from './transport.js';

/** Nonce queries in one JSON-RPC batch at most (Pujiang's `/rpc` takes batches of 100). */
const NONCES_PER_BATCH = 100;

/**
 * The load generator's view of the peer chain: standard Ethereum JSON-RPC only. The evm
 * group (`plan.erc20`) also drives Pujiang's `/rpc` with it, and may count commits from the
 * node's `/v1/events` instead, as the other groups do.
 */
export function ethDriver(plan: LoadPlan): LoadDriver {
  const rpcUrl = plan.apiUrls[0]!;
  return {
    async presign(perSender) {
      const addresses = plan.senders.map((key) => privateKeyToAccount(`0x${key}`).address);
      const rpc = new EthRpc(rpcUrl);
      try {
        const answers = [];
        for (let i = 0; i < addresses.length; i += NONCES_PER_BATCH)
          answers.push(
            ...(await rpc.batch(
              addresses
                .slice(i, i + NONCES_PER_BATCH)
                .map((a) => ({ method: 'eth_getTransactionCount', params: [a, 'pending'] })),
            )),
          );
        const nonces = answers.map((a, i) => {
          if ('error' in a) throw new Error(`eth_getTransactionCount ${addresses[i]}: ${a.error.message}`);
          return String(Number(a.result as string));
        });
        return await presignEth({
          chainId: Number(plan.chainId),
          senders: plan.senders.map((secretKey, i) => ({
            secretKey,
            firstNonce: nonces[i]!,
            count: perSender,
            to: addresses[(i + 1) % addresses.length]!.slice(2),
          })),
          ...(plan.erc20 ? { erc20Token: plan.erc20.token } : {}),
        });
      } finally {
        rpc.close();
      }
    },
    transport: (url, hex, maxInFlight) => new EthTransport(url, hex, maxInFlight),
    watcher: (o) =>
      plan.erc20?.countFrom === 'pujiang' ? new BlockWatcher(rpcUrl, o) : new EthBlockWatcher(rpcUrl, o),
    async receiptCodes(hashes) {
      const rpc = new EthRpc(rpcUrl);
      try {
        const answers = await rpc.batch(
          hashes.map((h) => ({ method: 'eth_getTransactionReceipt', params: [`0x${h}`] })),
        );
        return answers.map((a) => {
          if ('error' in a) return `RPC_${a.error.code}`;
          const receipt = a.result as { status: string } | null;
          return receipt === null ? 'NOT_COMMITTED' : receipt.status === '0x1' ? 'OK' : 'REVERTED';
        });
      } finally {
        rpc.close();
      }
    },
  };
}
