import type { Presigned } from './presign.js';
import { Submitter } from './submitter.js';
import type { TransportFactory } from './transport.js';

export interface SubmittersOptions {
  /** One node API per entry; sender i submits only to `apiUrls[i % apiUrls.length]`. */
  readonly apiUrls: readonly string[];
  readonly maxBatch: number;
  /** Requests in flight per node API. */
  readonly maxInFlight: number;
  readonly mayOffer?: () => boolean;
}

/**
 * Open-loop submission spread over several nodes' APIs, one `Submitter` per node. Each
 * sender keeps to one node, as a wallet talks to its own node: its nonces reach that node
 * in order, and the other validators get its transactions by gossip.
 */
export class Submitters {
  private readonly parts: Submitter[];
  /** Per transaction (in submission order): which part submits it, and its index there. */
  private readonly part: Uint8Array;
  private readonly local: Uint32Array;

  constructor(signed: Presigned, o: SubmittersOptions, transport: TransportFactory) {
    const n = o.apiUrls.length;
    if (n < 1 || n > 255) throw new Error(`Submitters: 1 to 255 node APIs, not ${n}`);
    this.part = new Uint8Array(signed.hex.length);
    this.local = new Uint32Array(signed.hex.length);
    const hexes: string[][] = Array.from({ length: n }, () => []);
    signed.hex.forEach((hex, i) => {
      const p = signed.sender[i]! % n;
      this.part[i] = p;
      this.local[i] = hexes[p]!.length;
      hexes[p]!.push(hex);
    });
    this.parts = o.apiUrls.map(
      (apiUrl, p) =>
        new Submitter(hexes[p]!.length, transport(apiUrl, hexes[p]!, o.maxInFlight), {
          maxBatch: o.maxBatch,
          maxInFlight: o.maxInFlight,
          ...(o.mayOffer ? { mayOffer: o.mayOffer } : {}),
        }),
    );
  }

  /** Submissions made (first tries and retries), over all nodes. */
  get offered(): number {
    return this.parts.reduce((sum, s) => sum + s.offered, 0);
  }

  get admitted(): number {
    return this.parts.reduce((sum, s) => sum + s.admitted, 0);
  }

  /** Refusals by code, over all nodes. */
  get refused(): Map<string, number> {
    const out = new Map<string, number>();
    for (const s of this.parts) for (const [code, n] of s.refused) out.set(code, (out.get(code) ?? 0) + n);
    return out;
  }

  /** When transaction `index` (submission order) was last sent; NaN if never, undefined if no such index. */
  sentAt(index: number): number | undefined {
    if (index < 0 || index >= this.part.length) return undefined;
    return this.parts[this.part[index]!]!.sentAt[this.local[index]!];
  }

  /** A block was committed: every node's mempool has room again. */
  resume(): void {
    for (const s of this.parts) s.resume();
  }

  /** `rate` submissions per second in all, each node offered its senders' share (an even split). */
  async offer(rate: number, untilMs: number, fresh: boolean): Promise<void> {
    await Promise.all(this.parts.map((s) => s.offer(rate / this.parts.length, untilMs, fresh)));
  }

  async idle(): Promise<void> {
    await Promise.all(this.parts.map((s) => s.idle()));
  }

  close(): void {
    for (const s of this.parts) s.close();
  }
}
