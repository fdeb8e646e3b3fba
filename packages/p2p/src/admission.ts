import type { PujiangError } from '@pujiang/types';
import { p2pError } from './errors.js';
import { TokenBucket } from './token-bucket.js';

/** How many handshakes a listener runs and how fast one address may open connections. */
export interface AdmissionLimits {
  /** Handshakes in progress at once, from everyone (default 64). */
  readonly maxHandshakes?: number;
  /** Handshakes in progress at once from one address (default 4). */
  readonly maxHandshakesPerAddress?: number;
  /** New connections a second from one address, sustained (default 2), and in a burst (default 10). */
  readonly connectionsPerSecond?: number;
  readonly connectionBurst?: number;
  /**
   * Addresses of the configured peers: the cap on handshakes from everyone does not apply to
   * them (strangers filling it cannot keep the members out); their per-address caps do.
   */
  readonly peerAddresses?: ReadonlySet<string>;
}

/** Addresses whose allowance is remembered; the least recently seen is forgotten first. */
const MAX_TRACKED_ADDRESSES = 4_096;

/** The refusals, made once: a flood of them must not cost a stack trace each. */
const REFUSED = {
  rate: p2pError('P2P_RATE_LIMITED', 'new connections from this address come too fast'),
  busy: p2pError('P2P_BUSY', 'too many handshakes in progress'),
  busyHere: p2pError('P2P_BUSY', 'too many handshakes in progress from this address'),
};

/**
 * The listener's gate, checked before a connection costs anything but its socket: a cap on
 * handshakes in progress, in all and per address, and a token bucket of new connections per
 * address. A refused connection is never read (`P2P_BUSY`, `P2P_RATE_LIMITED`); see `Tarpit`.
 */
export class Admission {
  private inProgress = 0;
  private readonly perAddress = new Map<string, number>();
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(private readonly limits: AdmissionLimits = {}) {}

  /** A handshake may start: returns its release, or the refusal. */
  admit(address: string): (() => void) | PujiangError {
    let bucket = this.buckets.get(address);
    if (bucket)
      this.buckets.delete(address); // re-inserted below: most recently seen last
    else bucket = new TokenBucket(this.limits.connectionsPerSecond ?? 2, this.limits.connectionBurst ?? 10);
    this.buckets.set(address, bucket);
    if (this.buckets.size > MAX_TRACKED_ADDRESSES) this.buckets.delete(this.buckets.keys().next().value!);
    if (!bucket.take(1)) return REFUSED.rate;
    const fromAddress = this.perAddress.get(address) ?? 0;
    const reserved = this.limits.peerAddresses?.has(address) ?? false;
    if (!reserved && this.inProgress >= (this.limits.maxHandshakes ?? 64)) return REFUSED.busy;
    if (fromAddress >= (this.limits.maxHandshakesPerAddress ?? 4)) return REFUSED.busyHere;
    this.inProgress++;
    this.perAddress.set(address, fromAddress + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inProgress--;
      const left = (this.perAddress.get(address) ?? 1) - 1;
      if (left === 0) this.perAddress.delete(address);
      else this.perAddress.set(address, left);
    };
  }
}
