import type { PublicKey, SuiteId } from '@pujiang/crypto';
import type { PeersResponse } from '@pujiang/protocol';
import { hexToBytes } from '@pujiang/types';
import { peerId } from '../network/peer-network.js';
import type { ValidatorNode } from '../validator-node.js';

/** Failed-check sources in one answer (the most recent; the node remembers more). */
export const MAX_FAILED_CHECKS = 100;

/**
 * `GET /v1/peers`: the peer network's view (links, scores, drops, bans, failed checks by
 * source) with who each key is on this chain, read from the latest state: its address, the
 * organization of its registered identity, and whether it validates the next height.
 */
export function peersAnswer(node: ValidatorNode): PeersResponse {
  const chain = node.chain;
  const snapshot = node.peerSnapshot();
  const validators = chain.validatorsFor(chain.height + 1n)?.validators ?? [];
  const names = new Map(validators.map((v) => [peerId(v.publicKey), v.name] as const));
  const identities = new Map<string, { address: string | null; organization: string | null }>();
  const whoIs = (id: string) => {
    let known = identities.get(id);
    if (!known) {
      known = lookUp(node, id);
      identities.set(id, known);
    }
    return known;
  };
  const identity = (id: string) => {
    const { address, organization } = whoIs(id);
    const name = names.get(id);
    return {
      key: id,
      address: address ?? '',
      organization,
      validator: names.has(id),
      ...(name === undefined ? {} : { name }),
    };
  };
  return {
    nodeKey: snapshot?.nodeKey ?? peerId(node.publicKey),
    at: Date.now(),
    peers: (snapshot?.peers ?? []).map((p) => ({ ...p, ...identity(p.key) })),
    banned: (snapshot?.banned ?? []).map((b) => ({ ...b, ...identity(b.key) })),
    // The most recent sources only; a handshake failure's source is an address, not a key.
    failedChecks: (snapshot?.failedChecks ?? [])
      .slice(-MAX_FAILED_CHECKS)
      .map((c) => ({ ...c, address: c.where === 'handshake' ? null : whoIs(c.source).address })),
    refusedConnections: snapshot?.refusedConnections ?? {},
    totals: snapshot?.totals ?? { bans: 0, drops: 0, signatureFailures: 0, membershipRefusals: 0 },
  };
}

/**
 * A key's address and organization on this chain; a key that does not parse or whose lookup
 * fails is unknown (one odd entry must not make the whole answer fail).
 */
function lookUp(node: ValidatorNode, id: string): { address: string | null; organization: string | null } {
  const chain = node.chain;
  try {
    const key = parseKeyId(id);
    const address = key ? chain.addressOf(key) : null;
    const identity =
      address === null
        ? undefined
        : chain.executor.kernelCall('memberIdentity', chain.stateRoot, (lookup, read) =>
            lookup(read, address, { time: chain.lastBlockTime, chainHash: chain.genesis.chainHash }),
          );
    return { address, organization: identity?.org ?? null };
  } catch {
    return { address: null, organization: null };
  }
}

function parseKeyId(id: string): PublicKey | undefined {
  const at = id.indexOf(':');
  if (at < 0) return undefined;
  try {
    return { suite: id.slice(0, at) as SuiteId, bytes: hexToBytes(id.slice(at + 1)) };
  } catch {
    return undefined;
  }
}
