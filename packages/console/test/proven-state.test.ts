import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encode, u64 } from '@pujiang/codec';
import { GOV_KEYS, Proposal, proposalJson } from '@pujiang/module-governance';
import { moduleKey } from '@pujiang/protocol';
import { type Genesis, generateKeyPair, type PujiangClient } from '@pujiang/sdk/browser';
import { bytesToHex } from '@pujiang/types';
import { pinnedSigner, signingRefusal } from '../src/chain/pinned-signer.js';
import { ProvenState } from '../src/chain/proven-state.js';

/**
 * What the console shows as proven comes from proven reads only, and it signs only for the
 * pinned chain: the pure parts, without a browser or a network.
 */
const proposal: Proposal = {
  id: 3n,
  title: 'Idle blocks every 400 ms',
  action: { type: 'setPacing', value: { emptyBlockIntervalMs: 400 } },
  resource: 'governance/proposal/setPacing',
  policy: { rule: { type: 'majority', value: {} }, roles: ['admin'], orgs: [], vetoBy: ['org3'] },
  proposer: 'ab'.repeat(20),
  status: 'queued',
  submittedAt: 10n,
  votingEnds: 40n,
  executableAt: 52n,
  votes: [{ org: 'org1', voter: 'cd'.repeat(20), approve: true, height: 12n }],
  history: [{ status: 'voting', height: 10n, by: 'ab'.repeat(20), note: '' }],
};
const hexKey = (key: string) => bytesToHex(moduleKey('governance', key));

describe('console: values decoded from proven reads', () => {
  const reads = new Map<string, Uint8Array | undefined>([
    [hexKey(GOV_KEYS.nextProposalId), encode(u64, 4n)],
    [hexKey(GOV_KEYS.proposal(3n)), encode(Proposal, proposal)],
    [hexKey(GOV_KEYS.proposal(2n)), undefined],
  ]);
  const state = new ProvenState({ reads, height: 77 }, 'governance');

  it('decodes a proven record, and reports a proven absence as undefined', () => {
    assert.equal(state.height, 77);
    assert.equal(state.value(GOV_KEYS.nextProposalId, u64), 4n);
    const json = proposalJson(state.value(GOV_KEYS.proposal(3n), Proposal)!);
    assert.equal(json.title, 'Idle blocks every 400 ms');
    assert.equal(json.status, 'queued');
    assert.deepEqual(json.action, { emptyBlockIntervalMs: 400 });
    assert.deepEqual(json.votes, [{ org: 'org1', voter: 'cd'.repeat(20), approve: true, height: '12' }]);
    assert.deepEqual(json.policy.vetoBy, ['org3']);
    assert.equal(state.value(GOV_KEYS.proposal(2n), Proposal), undefined);
    assert.equal(state.has(GOV_KEYS.proposal(2n)), true);
  });

  it('refuses a key the query did not read, and bytes that are not the record', () => {
    assert.equal(state.has(GOV_KEYS.proposal(1n)), false);
    assert.throws(() => state.value(GOV_KEYS.proposal(1n), Proposal), /not among the proven reads/);
    // The same bytes under another module's prefix are not these reads.
    assert.throws(() =>
      new ProvenState({ reads, height: 77 }, 'bank').value(GOV_KEYS.proposal(3n), Proposal),
    );
    assert.throws(() => state.value(GOV_KEYS.nextProposalId, Proposal));
  });
});

describe('console: signing only for the pinned chain', () => {
  const genesis = { chainId: 'pinned-chain', chainHash: 'sha256' } as Genesis;

  it('refuses on a mismatched genesis or a status naming another chain', () => {
    assert.equal(
      signingRefusal({ kind: 'first-use', chainId: 'pinned-chain' }, genesis, 'pinned-chain'),
      undefined,
    );
    assert.deepEqual(
      signingRefusal({ kind: 'mismatch', chainId: 'pinned-chain', nodeChainId: 'other' }, genesis, 'other'),
      { kind: 'mismatch', pinned: 'pinned-chain', node: 'other' },
    );
    assert.deepEqual(signingRefusal({ kind: 'pinned', chainId: 'pinned-chain' }, genesis, 'other'), {
      kind: 'status',
      pinned: 'pinned-chain',
      node: 'other',
    });
  });

  /** A node's client that records what it was asked to submit. */
  const fakeClient = (chainId: string) => {
    const submitted: unknown[] = [];
    const client = {
      getStatus: async () => ({ chainId, chainHash: 'sm3', height: 100 }),
      getAccount: async () => ({ pendingNonce: '7' }),
      submitTx: async (tx: unknown) => {
        submitted.push(tx);
        return { hash: 'h', receipt: { code: 'OK' } };
      },
    } as unknown as PujiangClient;
    return { client, submitted };
  };
  const message = {
    key: generateKeyPair('ed25519'),
    module: 'governance',
    type: 'vote',
    payload: Uint8Array.of(1, 2, 3),
  };

  it("signs with the pinned genesis's chain id and hash, whatever the node's status says of its hash", async () => {
    const { client, submitted } = fakeClient('pinned-chain');
    const sent = await pinnedSigner(client, genesis).sendTransaction(message);
    assert.equal(submitted.length, 1);
    assert.equal(sent.built.tx.body.chainId, 'pinned-chain');
    assert.equal(sent.nonce, 7n);
    assert.equal(sent.built.tx.body.expiresAtHeight, 200n);
  });

  it('signs nothing for a node whose status names another chain', async () => {
    const { client, submitted } = fakeClient('another-chain');
    await assert.rejects(pinnedSigner(client, genesis).sendTransaction(message), /nothing was signed/);
    assert.equal(submitted.length, 0);
  });
});
