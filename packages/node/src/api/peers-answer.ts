import type { PublicKey, SuiteId } from '@pujiang/crypto';
import type { PeersResponse } from '@pujiang/protocol';
import { hexToBytes } from '@pujiang/types';
import { peerId } from '../network/peer-network.js';
import type { ValidatorNode } from '../validator-node.js';

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
      const key = parseKeyId(id);
      const address = key ? chain.addressOf(key) : null;
      const identity =
        address === null
          ? undefined
          : chain.executor.kernelCall('memberIdentity', chain.stateRoot, (lookup, read) =>
              lookup(read, address, { time: chain.lastBlockTime, chainHash: chain.genesis.chainHash }),
            );
      known = { address, organization: identity?.org ?? null };
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
    failedChecks: (snapshot?.failedChecks ?? []).map((c) => ({ ...c, address: whoIs(c.source).address })),
    refusedConnections: snapshot?.refusedConnections ?? {},
    totals: snapshot?.totals ?? { bans: 0, drops: 0, signatureFailures: 0, membershipRefusals: 0 },
  };
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
