import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { hash } from '@pujiang/crypto';
import type { ChainEvent, EventMessage, Receipt } from '@pujiang/protocol';
import { bytesToHex } from '@pujiang/types';
import { type WebSocket, WebSocketServer } from 'ws';
import type { CommittedBlock } from '../chain/chain.js';
import type { ValidatorNode } from '../validator-node.js';
import { ApiError, badRequest } from './api-error.js';
import { errorBody } from './http-io.js';
import { parseBool, parseHeight } from './params.js';

/** What one subscription wants: which kinds of message, and which events (all filters must match). */
export interface EventFilter {
  readonly fromHeight?: bigint;
  readonly blocks: boolean;
  readonly txs: boolean;
  readonly events: boolean;
  readonly module?: string;
  readonly type?: string;
  readonly attributes: ReadonlyMap<string, string>;
}

export function parseEventFilter(search: URLSearchParams): EventFilter {
  const attributes = new Map<string, string>();
  for (const [k, v] of search) {
    if (k.startsWith('attr.')) attributes.set(k.slice(5), v);
    else if (!['fromHeight', 'blocks', 'txs', 'events', 'module', 'type'].includes(k))
      throw badRequest(`unknown parameter ${k}`, { parameter: k });
  }
  if (attributes.size > 16) throw badRequest('at most 16 attribute filters');
  const from = search.get('fromHeight');
  const module = search.get('module');
  const type = search.get('type');
  return {
    ...(from === null ? {} : { fromHeight: parseHeight(from, 'fromHeight') }),
    blocks: parseBool(search.get('blocks'), 'blocks', true),
    txs: parseBool(search.get('txs'), 'txs', true),
    events: parseBool(search.get('events'), 'events', true),
    ...(module === null ? {} : { module }),
    ...(type === null ? {} : { type }),
    attributes,
  };
}

function eventMatches(f: EventFilter, e: ChainEvent): boolean {
  if (f.module !== undefined && e.module !== f.module) return false;
  if (f.type !== undefined && e.type !== f.type) return false;
  for (const [k, v] of f.attributes) if (e.attributes[k] !== v) return false;
  return true;
}

/** The messages of one block for one filter, in order: the block, then per transaction its result and events. */
export function blockMessages(
  f: EventFilter,
  b: {
    height: bigint;
    hash: string;
    time: bigint;
    txHashes: readonly string[];
    receipts: readonly Receipt[];
  },
): EventMessage[] {
  const height = Number(b.height);
  const out: EventMessage[] = [];
  if (f.blocks)
    out.push({ type: 'block', height, hash: b.hash, time: String(b.time), txCount: b.txHashes.length });
  const eventFiltered = f.module !== undefined || f.type !== undefined || f.attributes.size > 0;
  b.receipts.forEach((r, index) => {
    // Receipts past the block's transactions are its modules' block hooks: events only.
    if (f.txs && !eventFiltered && index < b.txHashes.length)
      out.push({ type: 'tx', height, index, hash: r.txHash, code: r.code });
    if (!f.events) return;
    r.events.forEach((event, eventIndex) => {
      if (eventMatches(f, event))
        out.push({ type: 'event', height, txHash: r.txHash, txIndex: index, eventIndex, event });
    });
  });
  return out;
}

/** Past this many bytes queued to a slow subscriber, it is dropped (1013: try again later, resuming from a height). */
const MAX_BUFFERED = 8 * 1024 * 1024;
const MAX_SUBSCRIBERS = 256;
const MAX_EARLY_BLOCKS = 1024;

/**
 * The `/v1/events` WebSocket: a subscriber names a filter in the URL, gets the stored blocks
 * from `fromHeight` (replayed from the store a block at a time, yielding between blocks),
 * a `caughtUp` message, then every new block live. Nothing a subscriber sends is read
 * beyond 1 KiB; a slow one is disconnected rather than buffered without bound.
 */
export class EventHub {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 1024 });
  private readonly subscribers = new Set<WebSocket>();

  constructor(private readonly node: ValidatorNode) {}

  get size(): number {
    return this.subscribers.size;
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, search: URLSearchParams): void {
    let filter: EventFilter;
    try {
      if (this.subscribers.size >= MAX_SUBSCRIBERS)
        throw new ApiError(503, 'API_TOO_MANY_SUBSCRIBERS', 'too many event subscribers; try later');
      filter = parseEventFilter(search);
    } catch (error) {
      const { status, body } = errorBody(error);
      const text = JSON.stringify(body);
      socket.end(
        `HTTP/1.1 ${status} Refused\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n\r\n${text}`,
      );
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.serve(ws, filter));
  }

  private serve(ws: WebSocket, filter: EventFilter): void {
    this.subscribers.add(ws);
    const send = (messages: readonly EventMessage[]) => {
      if (ws.readyState !== ws.OPEN) return;
      if (ws.bufferedAmount > MAX_BUFFERED) {
        ws.close(1013, 'subscriber too slow; resume with fromHeight');
        return;
      }
      for (const m of messages) ws.send(JSON.stringify(m));
    };
    let replaying = filter.fromHeight !== undefined;
    const early: CommittedBlock[] = [];
    let sentThrough = this.node.chain.height;
    const live = (c: CommittedBlock) => {
      if (replaying) {
        // Blocks decided during a long replay wait here, within the same bound as the socket.
        if (early.length >= MAX_EARLY_BLOCKS)
          ws.close(1013, 'replay fell too far behind; resume with fromHeight');
        else early.push(c);
        return;
      }
      sentThrough = c.block.header.height;
      send(blockMessages(filter, liveBlock(c)));
    };
    const unsubscribe = this.node.onCommit(live);
    ws.on('message', () => {}); // subscriptions are set by the URL; input is ignored
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      unsubscribe();
      this.subscribers.delete(ws);
    });
    if (filter.fromHeight === undefined) return;
    const replay = (height: bigint) => {
      if (ws.readyState !== ws.OPEN) return;
      if (height > sentThrough) {
        replaying = false;
        send([{ type: 'caughtUp', height: Number(sentThrough) }]);
        for (const c of early) if (c.block.header.height > sentThrough) live(c);
        early.length = 0;
        return;
      }
      const stored = this.storedBlock(height);
      if (stored) send(blockMessages(filter, stored));
      setImmediate(() => replay(height + 1n));
    };
    replay(filter.fromHeight);
  }

  private storedBlock(height: bigint) {
    const block = this.node.chain.block(height);
    const receipts = this.node.chain.receipts(height);
    const certificate = this.node.chain.certificate(height);
    if (!block || !receipts || !certificate) return undefined;
    const algorithm = this.node.chain.genesis.chainHash;
    return {
      height,
      hash: certificate.value,
      time: block.header.time,
      txHashes: block.txs.map((t) => bytesToHex(hash(algorithm, t))),
      receipts,
    };
  }

  close(): void {
    for (const ws of this.subscribers) ws.terminate();
    this.wss.close();
  }
}

function liveBlock(c: CommittedBlock) {
  return {
    height: c.block.header.height,
    hash: c.hash,
    time: c.block.header.time,
    txHashes: c.txs.map((t) => t.hash),
    receipts: c.receipts,
  };
}
