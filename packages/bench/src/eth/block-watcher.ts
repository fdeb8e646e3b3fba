import WebSocket from 'ws';
import type { BlockWatcherOptions, ChainWatcher, SeenBlock } from '../block-watcher.js';
import { EthRpc } from './rpc.js';

interface Head {
  readonly number: string;
  readonly at: number;
}

/** Block bodies asked for in one JSON-RPC batch at most. */
const MAX_BODIES_PER_BATCH = 500;

/**
 * Follows the peer chain's blocks: `eth_subscribe("newHeads")` over its WebSocket gives each
 * block's arrival time (when it counts as committed for a client, as our `/v1/events` does),
 * then `eth_getBlockByNumber` over HTTP, batched, gives its transactions. Every transaction
 * of an Ethereum block executed; a failed one still has a receipt, so codes are 'OK' here and
 * receipts are checked by sampling (`eth_getTransactionReceipt`) after the run.
 */
export class EthBlockWatcher implements ChainWatcher {
  readonly blocks: SeenBlock[] = [];
  committed = 0;
  failure: Error | undefined;
  private socket: WebSocket | undefined;
  private readonly heads: Head[] = [];
  private fetching = false;
  private readonly rpc: EthRpc;

  constructor(
    private readonly rpcUrl: string,
    private readonly o: BlockWatcherOptions,
  ) {
    this.rpc = new EthRpc(rpcUrl, 1);
  }

  open(): Promise<void> {
    const socket = new WebSocket(this.rpcUrl.replace(/^http/, 'ws'));
    this.socket = socket;
    return new Promise((resolve, reject) => {
      socket.on('message', (data) => {
        const message = JSON.parse(String(data)) as {
          id?: number;
          result?: unknown;
          error?: { message: string };
          method?: string;
          params?: { result: { number: string } };
        };
        if (message.id === 1) {
          if (message.error) reject(new Error(`eth_subscribe: ${message.error.message}`));
          else resolve();
        } else if (message.method === 'eth_subscription' && message.params) {
          this.heads.push({ number: message.params.result.number, at: performance.now() });
          void this.fetchBodies();
        }
      });
      socket.once('open', () =>
        socket.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_subscribe', params: ['newHeads'] })),
      );
      socket.on('error', (error) => {
        this.failure ??= error;
        reject(error);
      });
      socket.once('close', (code) => {
        if (this.socket !== socket) return;
        this.failure ??= new Error(`peer's WebSocket closed: ${code}`);
        reject(this.failure);
      });
    });
  }

  /** Resolves once every head seen so far has its body. */
  async settled(): Promise<void> {
    while ((this.heads.length > 0 || this.fetching) && !this.failure)
      await new Promise((resolve) => setTimeout(resolve, 5));
  }

  close(): void {
    const socket = this.socket;
    this.socket = undefined;
    socket?.close();
    this.rpc.close();
  }

  /** One batch of bodies at a time, in block order, so blocks are recorded in order. */
  private async fetchBodies(): Promise<void> {
    if (this.fetching) return;
    this.fetching = true;
    try {
      while (this.heads.length > 0) {
        const heads = this.heads.splice(0, MAX_BODIES_PER_BATCH);
        const answers = await this.rpc.batch(
          heads.map((h) => ({ method: 'eth_getBlockByNumber', params: [h.number, false] })),
        );
        answers.forEach((answer, i) => {
          if ('error' in answer) throw new Error(`eth_getBlockByNumber: ${answer.error.message}`);
          const body = answer.result as { transactions: string[] };
          const block: SeenBlock = {
            height: Number(heads[i]!.number),
            txCount: body.transactions.length,
            at: heads[i]!.at,
          };
          this.blocks.push(block);
          this.committed += block.txCount;
          this.o.onBlock?.(block);
          for (const hash of body.transactions) this.o.onTx?.(hash.slice(2), 'OK', block);
        });
      }
    } catch (error) {
      this.failure ??= error instanceof Error ? error : new Error(String(error));
    } finally {
      this.fetching = false;
    }
  }
}
