import type { EventMessage } from '@pujiang/protocol';
import WebSocket from 'ws';

/** A decided block as the load generator saw it arrive. */
export interface SeenBlock {
  readonly height: number;
  readonly txCount: number;
  /** `performance.now()` when the block's message arrived: the commit time as a client observes it. */
  readonly at: number;
}

export interface BlockWatcherOptions {
  /** Also receive one message per transaction (hash and receipt code); costs the node a message each. */
  readonly txs: boolean;
  readonly onBlock?: (block: SeenBlock) => void;
  readonly onTx?: (hash: string, code: string, block: SeenBlock) => void;
}

/** What the load generator counts commits with: a chain's decided blocks as they arrive. */
export interface ChainWatcher {
  readonly blocks: readonly SeenBlock[];
  /** Transactions in the blocks seen so far. */
  readonly committed: number;
  /** Set when the stream fails; the figures are then incomplete. */
  readonly failure: Error | undefined;
  /** Resolves once subscribed, so no block decided after this is missed. */
  open(): Promise<void>;
  close(): void;
}

/** Follows new blocks over the node's `/v1/events` WebSocket. */
export class BlockWatcher implements ChainWatcher {
  readonly blocks: SeenBlock[] = [];
  /** Transactions in the blocks seen so far. */
  committed = 0;
  /** Set when the stream fails or closes before `close()`; the figures are then incomplete. */
  failure: Error | undefined;
  private socket: WebSocket | undefined;

  constructor(
    private readonly apiUrl: string,
    private readonly o: BlockWatcherOptions,
  ) {}

  /** Resolves once subscribed, so no block decided after this is missed. */
  open(): Promise<void> {
    const url = new URL('/v1/events', this.apiUrl.replace(/^http/, 'ws'));
    url.search = new URLSearchParams({ blocks: 'true', txs: String(this.o.txs), events: 'false' }).toString();
    const socket = new WebSocket(url);
    this.socket = socket;
    let current: SeenBlock | undefined;
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as EventMessage;
      if (message.type === 'block') {
        current = { height: message.height, txCount: message.txCount, at: performance.now() };
        this.blocks.push(current);
        this.committed += current.txCount;
        this.o.onBlock?.(current);
      } else if (message.type === 'tx' && current?.height === message.height) {
        this.o.onTx?.(message.hash, message.code, current);
      } else if (message.type === 'error') {
        this.failure ??= new Error(`event stream: ${message.error.code} ${message.error.message}`);
      }
    });
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.on('error', (error) => {
        this.failure ??= error;
        reject(error);
      });
      socket.once('close', (code, reason) => {
        if (this.socket !== socket) return;
        this.failure ??= new Error(`event stream closed by the node: ${code} ${String(reason)}`);
        reject(this.failure);
      });
    });
  }

  close(): void {
    const socket = this.socket;
    this.socket = undefined;
    socket?.close();
  }
}
