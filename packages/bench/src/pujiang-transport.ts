import { Agent, request } from 'node:http';
import type { SubmitBatchResponse } from '@pujiang/protocol';
import type { BatchOutcome, BatchTransport } from './transport.js';

/**
 * Pujiang's `POST /v1/txs/batch` in its binary form (what a high-rate client sends: no hex or
 * JSON to parse), over keep-alive connections.
 */
export class PujiangTransport implements BatchTransport {
  readonly retryable: ReadonlySet<string> = new Set([
    'MEMPOOL_FULL',
    'MEMPOOL_SENDER_FULL',
    'TX_NONCE_TOO_HIGH',
  ]);
  readonly full: ReadonlySet<string> = new Set(['MEMPOOL_FULL']);
  private readonly agent: Agent;
  private readonly url: URL;
  /** Each transaction framed for a binary batch: 4-byte big-endian length, then its encoding. */
  private readonly framed: Buffer[];

  constructor(apiUrl: string, hex: readonly string[], maxInFlight: number) {
    this.agent = new Agent({ keepAlive: true, maxSockets: maxInFlight });
    this.url = new URL('/v1/txs/batch', apiUrl);
    this.framed = hex.map((h) => {
      const out = Buffer.alloc(4 + h.length / 2);
      out.writeUInt32BE(h.length / 2, 0);
      out.write(h, 4, 'hex');
      return out;
    });
  }

  send(items: readonly number[]): Promise<BatchOutcome> {
    const body = Buffer.concat(items.map((i) => this.framed[i]!));
    return new Promise((resolve) => {
      const req = request(
        this.url,
        {
          method: 'POST',
          agent: this.agent,
          headers: { 'content-type': 'application/octet-stream', 'content-length': body.length },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            if (res.statusCode !== 200) return resolve({ failed: `HTTP_${res.statusCode}` });
            const { results } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as SubmitBatchResponse;
            resolve({ codes: results.map((r) => ('hash' in r ? undefined : r.error.code)) });
          });
        },
      );
      req.on('error', () => resolve({ failed: 'HTTP_ERROR' }));
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
