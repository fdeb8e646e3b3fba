import type { Finding } from '../alerts.js';
import type { NodeObservation, SignedHeight } from '../observe.js';

/** Who a validator is, for alert subjects. */
export interface ValidatorName {
  readonly address: string;
  readonly name: string;
  readonly organization?: string;
  /** Its public key (hex), to check the key an evidence record names. */
  readonly publicKey?: string;
}

export interface MissedBlocks {
  readonly address: string;
  readonly missed: number;
  readonly of: number;
  readonly lastSigned: number | null;
  readonly missedHeights: readonly number[];
}

/** Per validator of the latest set: how many of the last `window` certificates lack its precommit. */
export function missedBlocks(heights: readonly SignedHeight[], window: number): MissedBlocks[] {
  const recent = heights.slice(-window);
  const latest = recent[recent.length - 1];
  if (!latest) return [];
  return latest.validators.map((address) => {
    const inSet = recent.filter((h) => h.validators.includes(address));
    const missedHeights = inSet.filter((h) => !h.signers.includes(address)).map((h) => h.height);
    const signed = heights.filter((h) => h.signers.includes(address));
    return {
      address,
      missed: missedHeights.length,
      of: inSet.length,
      lastSigned: signed.length > 0 ? signed[signed.length - 1]!.height : null,
      missedHeights,
    };
  });
}

/**
 * A validator whose precommit is missing from most recent certificates is not voting (down,
 * cut off, or too slow to count). A certificate holds the first quorum of precommits, so
 * a live validator misses some; only a full window raises. Critical when it missed all.
 */
export function missedBlockFindings(
  heights: readonly SignedHeight[],
  window: number,
  names: ReadonlyMap<string, ValidatorName>,
): Finding[] {
  const out: Finding[] = [];
  for (const m of missedBlocks(heights, window)) {
    if (m.of < window || m.missed < Math.ceil(window * 0.8)) continue;
    const who = names.get(m.address);
    out.push({
      kind: 'missed-blocks',
      severity: m.missed === m.of ? 'critical' : 'warning',
      subject: {
        type: 'validator',
        id: m.address,
        ...(who ? { name: who.name } : {}),
        ...(who?.organization ? { organization: who.organization } : {}),
      },
      summary: `${who?.name ?? m.address} missed ${m.missed} of the last ${m.of} blocks`,
      evidence: {
        missed: m.missed,
        window: m.of,
        lastSigned: m.lastSigned,
        missedHeights: m.missedHeights,
      },
    });
  }
  return out;
}

/** A node never seen answering gets this long (it may still be starting, beside the monitor) before it raises. */
export const NEVER_SEEN_GRACE_MS = 15_000;

/** A node the monitor was told to watch that does not answer; named by its validator when it answered before. */
export function unreachableFindings(
  nodes: readonly NodeObservation[],
  nodeIds: ReadonlyMap<string, string>,
  names: ReadonlyMap<string, ValidatorName>,
  since: ReadonlyMap<string, number>,
  now: number,
): Finding[] {
  return nodes
    .filter(
      (n) => !n.reachable && (nodeIds.has(n.url) || now - (since.get(n.url) ?? now) >= NEVER_SEEN_GRACE_MS),
    )
    .map((n) => {
      const address = nodeIds.get(n.url);
      const who = address ? names.get(address) : undefined;
      return {
        kind: 'node-unreachable',
        severity: who ? 'critical' : 'warning',
        subject: {
          type: 'node',
          id: n.url,
          ...(who ? { name: who.name } : {}),
          ...(who?.organization ? { organization: who.organization } : {}),
        },
        summary: `${who ? `validator ${who.name}'s node` : 'node'} ${n.url} does not answer: ${n.error ?? 'no answer'}`,
        evidence: {
          url: n.url,
          error: n.error ?? null,
          validatorAddress: address ?? null,
          unreachableSince: since.get(n.url) ?? null,
        },
      } satisfies Finding;
    });
}

/** No new height for `stallMs` on any node: the chain does not decide. */
export function stallFindings(
  height: number,
  heightSince: number,
  now: number,
  stallMs: number,
  reachable: number,
): Finding[] {
  if (height === 0 || now - heightSince < stallMs) return [];
  return [
    {
      kind: 'chain-stalled',
      severity: 'critical',
      subject: { type: 'chain', id: 'chain' },
      summary: `no new block for ${Math.round((now - heightSince) / 1000)} s (height ${height})`,
      evidence: { height, since: heightSince, stalledMs: now - heightSince, reachableNodes: reachable },
    },
  ];
}
