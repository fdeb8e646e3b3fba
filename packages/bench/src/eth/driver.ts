import { privateKeyToAccount } from 'viem/accounts';
import type { LoadDriver } from '../load-driver.js';
import type { LoadPlan } from '../load-plan.js';
import { presignEth } from '../presign.js';
import { EthBlockWatcher } from './block-watcher.js';
import { EthRpc } from './rpc.js';
import { EthTransport } from './transport.js';

/** The load generator's view of the peer chain: standard Ethereum JSON-RPC only. */
export function ethDriver(plan: LoadPlan): LoadDriver {
  const rpcUrl = plan.apiUrls[0]!;
  return {
    async presign(perSender) {
      const addresses = plan.senders.map((key) => privateKeyToAccount(`0x${key}`).address);
      const rpc = new EthRpc(rpcUrl);
      try {
        const answers = await rpc.batch(
          addresses.map((a) => ({ method: 'eth_getTransactionCount', params: [a, 'pending'] })),
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
        });
      } finally {
        rpc.close();
      }
    },
    transport: (url, hex, maxInFlight) => new EthTransport(url, hex, maxInFlight),
    watcher: (o) => new EthBlockWatcher(rpcUrl, o),
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
