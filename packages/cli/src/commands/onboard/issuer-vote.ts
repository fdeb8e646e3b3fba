import type { KeyPair } from '@pujiang/crypto';
import {
  finalizeProposal,
  getProposal,
  PujiangClient,
  submitProposal,
  trustedChainLookup,
  trustRootsAction,
  voteOnProposal,
} from '@pujiang/sdk';
import { ISSUER_JURISDICTION, issuerError } from './issuer-record.js';
import { type LocalNet, operatorKeys } from './network.js';

/** The root's recognition as the CN-31 trust root: a governance proposal the organizations vote through. */

/** Proposes the current roots plus ours for CN-31 (the parameter is the whole list). */
export async function propose(client: PujiangClient, key: KeyPair, did: string): Promise<string> {
  const roots = await trustedChainLookup(client).trustRoots!();
  const taken = roots.find((r) => r.jurisdiction === ISSUER_JURISDICTION);
  if (taken)
    throw issuerError(
      'ONBOARD_ISSUER_ROOT_TAKEN',
      `${ISSUER_JURISDICTION} already has the root ${taken.root}; this network's issuer cannot be recognised for it`,
      { root: taken.root },
    );
  const sent = await submitProposal(client, {
    key,
    wait: true,
    title: `Shanghai market regulation (local network root ${did}, which accredits its licence issuer) is the ${ISSUER_JURISDICTION} root`,
    action: trustRootsAction([...roots, { jurisdiction: ISSUER_JURISDICTION, root: did }]),
  });
  const event = sent.result.receipt?.events.find((e) => e.type === 'proposed');
  return String(event?.attributes.id);
}

/** Every other organization's admin votes yes, each on its own node, at once; late votes are harmless. */
export async function voteThrough(net: LocalNet, id: string): Promise<void> {
  const keys = operatorKeys(net);
  const client = new PujiangClient({ url: net.nodes[0]!.api });
  if ((await getProposal(client, id)).status !== 'voting') return;
  await Promise.all(
    net.nodes.slice(1).map((node, i) =>
      voteOnProposal(new PujiangClient({ url: node.api }), {
        key: keys[i + 1]!,
        id,
        approve: true,
        wait: true,
        throwOnFailure: false,
      }),
    ),
  );
  const after = await getProposal(client, id);
  if (after.status !== 'queued' && after.status !== 'executed')
    throw issuerError('ONBOARD_ISSUER_NOT_APPROVED', `proposal ${id} is ${after.status} after the votes`, {
      id,
      status: after.status,
    });
}

/**
 * Executes the proposal once its time-lock is over. Each early attempt is a transaction that
 * fails GOV_NOT_READY in its block, which also moves an idle chain on: a block with
 * transactions is followed at once by another, so the time-lock's blocks pass in seconds.
 */
export async function finalize(
  client: PujiangClient,
  key: KeyPair,
  id: string,
  deadline: number,
): Promise<void> {
  for (;;) {
    if ((await getProposal(client, id)).status === 'executed') return;
    const sent = await finalizeProposal(client, { key, id, wait: true, throwOnFailure: false });
    const code = sent.result.receipt?.code;
    if (code === 'OK') return;
    if (code !== 'GOV_NOT_READY' && code !== undefined)
      throw issuerError('ONBOARD_ISSUER_NOT_APPROVED', `finalizing proposal ${id} failed: ${code}`, {
        id,
        code,
      });
    if (Date.now() > deadline)
      throw issuerError('ONBOARD_ISSUER_TIMEOUT', `proposal ${id} was not executable in time`, { id });
  }
}
