import { deriveAddress, keyPairFromSecretKey } from '@pujiang/crypto';
import type { AccountResponse, StatusResponse, TxResponse } from '@pujiang/protocol';
import { bytesToHex, hexToBytes } from '@pujiang/types';
import { BlockWatcher } from './block-watcher.js';
import type { LoadDriver } from './load-driver.js';
import type { LoadPlan } from './load-plan.js';
import { presign } from './presign.js';
import { PujiangTransport } from './pujiang-transport.js';

/** The load generator's view of a Pujiang chain: its REST API, binary batches, `/v1/events`. */
export function pujiangDriver(plan: LoadPlan): LoadDriver {
  const apiUrl = plan.apiUrls[0]!;
  async function getJson<T>(path: string): Promise<T> {
    const res = await fetch(new URL(path, apiUrl));
    if (!res.ok) throw new Error(`GET ${path}: HTTP ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }
  return {
    async presign(perSender) {
      const status = await getJson<StatusResponse>('/v1/status');
      const keys = plan.senders.map((hex) =>
        keyPairFromSecretKey({ suite: plan.suite, bytes: hexToBytes(hex) }),
      );
      const addresses = keys.map((k) => bytesToHex(deriveAddress(status.chainHash, k.publicKey)));
      // Each sender's next nonce (counting its pending transactions), a few requests at a time.
      const nonces: string[] = [];
      for (let i = 0; i < addresses.length; i += 32) {
        const page = addresses.slice(i, i + 32);
        const accounts = await Promise.all(page.map((a) => getJson<AccountResponse>(`/v1/accounts/${a}`)));
        nonces.push(...accounts.map((a) => a.pendingNonce));
      }
      return presign({
        suite: plan.suite,
        chainId: plan.chainId,
        chainHash: status.chainHash,
        message: plan.message ?? 'transfer',
        senders: plan.senders.map((secretKey, i) => ({
          secretKey,
          firstNonce: nonces[i]!,
          count: perSender,
          to: addresses[(i + 1) % addresses.length]!,
        })),
      });
    },
    transport: (url, hex, maxInFlight) => new PujiangTransport(url, hex, maxInFlight),
    watcher: (o) => new BlockWatcher(apiUrl, o),
    async receiptCodes(hashes) {
      const codes: string[] = [];
      for (let i = 0; i < hashes.length; i += 16) {
        const page = hashes.slice(i, i + 16).map(async (hash) => {
          const res = await fetch(new URL(`/v1/txs/${hash}`, apiUrl));
          if (res.status === 404) return 'NOT_COMMITTED';
          if (!res.ok) throw new Error(`GET /v1/txs: HTTP ${res.status} ${await res.text()}`);
          const tx = (await res.json()) as TxResponse;
          return tx.status === 'committed' ? (tx.receipt?.code ?? 'NO_RECEIPT') : 'NOT_COMMITTED';
        });
        codes.push(...(await Promise.all(page)));
      }
      return codes;
    },
  };
}
