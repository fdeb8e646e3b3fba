import type { PeerOffence } from './peer-offence.js';

/**
 * What the peer network remembers for the security monitor (`GET /v1/peers`): offences and
 * rate-limit drops per peer, bans with the offence that caused them, failed signature and
 * membership checks by source (the key that failed them on an authenticated link, the remote
 * address when the handshake failed before the key was proven), and connections refused
 * before any key was proven, by code. Everything is bounded: an outsider cycling through keys cannot grow it
 * past `MAX_SOURCES` entries (the oldest are forgotten first).
 */
export const MAX_SOURCES = 1_000;

export type FailedCheck = 'signature' | 'membership';

export interface BanRecord {
  readonly reason: PeerOffence;
  readonly score: number;
  readonly since: number;
  readonly until: number;
  readonly bans: number;
}

export interface FailedCheckRecord {
  readonly source: string;
  readonly check: FailedCheck;
  readonly where: string;
  readonly count: number;
  readonly lastAt: number;
}

/** A linked peer as the network sees it (no identity: the node adds organization and validator). */
export interface LinkedPeer {
  readonly key: string;
  readonly endpoint: string | null;
  readonly initiator: boolean;
  readonly connectedAt: number;
  readonly score: number;
  readonly drops: number;
  readonly offences: Record<string, number>;
}

export interface PeerNetworkSnapshot {
  readonly nodeKey: string;
  readonly peers: readonly LinkedPeer[];
  readonly banned: readonly (BanRecord & { readonly key: string })[];
  readonly failedChecks: readonly FailedCheckRecord[];
  readonly refusedConnections: Record<string, number>;
  readonly totals: {
    readonly bans: number;
    readonly drops: number;
    readonly signatureFailures: number;
    readonly membershipRefusals: number;
  };
}

interface PeerCounters {
  drops: number;
  readonly offences: Map<PeerOffence, number>;
}

/** Offences that are a signature failing to verify, and where it was checked. */
const SIGNATURE_OFFENCES: Partial<Record<PeerOffence, string>> = {
  'invalid-signature': 'consensus',
  'invalid-tx': 'tx',
};

export class PeerWatch {
  private readonly counters = new Map<string, PeerCounters>();
  private readonly bans = new Map<string, BanRecord>();
  private readonly checks = new Map<string, FailedCheckRecord>();
  private readonly refused = new Map<string, number>();
  drops = 0;
  banCount = 0;
  signatureFailures = 0;
  membershipRefusals = 0;

  constructor(private readonly now: () => number = Date.now) {}

  private countersOf(peer: string): PeerCounters {
    let c = this.counters.get(peer);
    if (!c) {
      c = { drops: 0, offences: new Map() };
      bounded(this.counters).set(peer, c);
    }
    return c;
  }

  offence(peer: string, offence: PeerOffence): void {
    const c = this.countersOf(peer);
    c.offences.set(offence, (c.offences.get(offence) ?? 0) + 1);
    const where = SIGNATURE_OFFENCES[offence];
    if (where) this.failed(peer, 'signature', where);
  }

  drop(peer: string): void {
    this.countersOf(peer).drops++;
    this.drops++;
  }

  banned(peer: string, reason: PeerOffence, score: number, banMs: number): void {
    const since = this.now();
    const bans = (this.bans.get(peer)?.bans ?? 0) + 1;
    this.bans.delete(peer);
    bounded(this.bans).set(peer, { reason, score, since, until: since + banMs, bans });
    this.banCount++;
  }

  /** A key failed a check: its handshake or message signature, or the chain's membership. */
  failed(source: string, check: FailedCheck, where: string): void {
    const id = `${check}|${where}|${source}`;
    const count = (this.checks.get(id)?.count ?? 0) + 1;
    this.checks.delete(id); // re-inserted last: the map's order is the recency order
    bounded(this.checks).set(id, { source, check, where, count, lastAt: this.now() });
    if (check === 'signature') this.signatureFailures++;
    else this.membershipRefusals++;
  }

  /**
   * A handshake refused before the peer proved its key: a key that is not a member (or is
   * banned) or a handshake signature that does not verify. The key in the handshake is only
   * claimed (anyone may write a validator's public key), so the failure is counted against
   * the remote address, never the key: `source` is the address, `where` is `handshake`.
   */
  handshakeFailed(remote: string, error: { readonly code: string; readonly details?: unknown }): void {
    const check = handshakeCheck(error);
    if (check) this.failed(addressSource(remote), check, 'handshake');
  }

  /** A connection refused before it proved a key (admission caps, a failed handshake). */
  refusedConnection(code: string): void {
    this.refused.set(code, (this.refused.get(code) ?? 0) + 1);
  }

  dropsOf(peer: string): number {
    return this.counters.get(peer)?.drops ?? 0;
  }

  offencesOf(peer: string): Record<string, number> {
    return Object.fromEntries(this.counters.get(peer)?.offences ?? []);
  }

  /** Bans in force now. */
  activeBans(): [string, BanRecord][] {
    const now = this.now();
    return [...this.bans].filter(([, b]) => b.until > now);
  }

  failedChecks(): FailedCheckRecord[] {
    return [...this.checks.values()];
  }

  refusedConnections(): Record<string, number> {
    return Object.fromEntries(this.refused);
  }

  snapshot(nodeKey: string, peers: readonly LinkedPeer[]): PeerNetworkSnapshot {
    return {
      nodeKey,
      peers,
      banned: this.activeBans().map(([key, ban]) => ({ key, ...ban })),
      failedChecks: this.failedChecks(),
      refusedConnections: this.refusedConnections(),
      totals: {
        bans: this.banCount,
        drops: this.drops,
        signatureFailures: this.signatureFailures,
        membershipRefusals: this.membershipRefusals,
      },
    };
  }
}

function handshakeCheck(error: {
  readonly code: string;
  readonly details?: unknown;
}): FailedCheck | undefined {
  if (error.code === 'P2P_NOT_A_MEMBER') return 'membership';
  const details = error.details as { check?: unknown } | undefined;
  if (error.code === 'P2P_HANDSHAKE_FAILED' && details?.check === 'signature') return 'signature';
  return undefined;
}

/** An IPv4 address as itself (not IPv6-mapped), so one host is one source. */
export function addressSource(remote: string): string {
  const plain = remote.startsWith('::ffff:') && remote.includes('.') ? remote.slice(7) : remote;
  return plain === '' ? 'unknown' : plain;
}

/** The map, with its oldest entry dropped when it is full. */
function bounded<K, V>(map: Map<K, V>): Map<K, V> {
  if (map.size >= MAX_SOURCES) map.delete(map.keys().next().value as K);
  return map;
}
