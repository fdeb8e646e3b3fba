import type { BatchOutcome, BatchTransport } from '../transport.js';
import { EthRpc, rpcRefusal } from './rpc.js';

/** A nonce beyond the sender's next one: Hardhat refuses it while automining (it cannot queue), and it may succeed once the earlier ones land. */
const NONCE_TOO_HIGH = 'NONCE_TOO_HIGH';

/**
 * The peer chain's standard submission: `eth_sendRawTransaction`, one call per transaction,
 * sent as a JSON-RPC batch (one HTTP request per batch, as our binary batches are). A
 * development chain with automatic mining has no pool to fill; what is retried is a nonce
 * that arrived before its predecessor (batches in flight may be served out of order).
 */
export class EthTransport implements BatchTransport {
  readonly retryable: ReadonlySet<string> = new Set([NONCE_TOO_HIGH]);
  readonly full: ReadonlySet<string> = new Set();
  private readonly rpc: EthRpc;

  constructor(
    rpcUrl: string,
    private readonly hex: readonly string[],
    maxInFlight: number,
  ) {
    this.rpc = new EthRpc(rpcUrl, maxInFlight);
  }

  async send(items: readonly number[]): Promise<BatchOutcome> {
    try {
      const answers = await this.rpc.batch(
        items.map((i) => ({ method: 'eth_sendRawTransaction', params: [`0x${this.hex[i]}`] })),
      );
      return {
        codes: answers.map((a) => {
          if (!('error' in a)) return undefined;
          return /nonce too high/i.test(a.error.message) ? NONCE_TOO_HIGH : rpcRefusal(a.error);
        }),
      };
    } catch {
      // Not offered again: some of the batch may have been accepted, and ganache mines a resent transaction twice.
      return { codes: items.map(() => 'RPC_REQUEST_FAILED') };
    }
  }

  close(): void {
    this.rpc.close();
  }
}
