import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { encode } from '@pujiang/codec';
import { voteSignBytes } from '@pujiang/consensus';
import { type KeyPair, sign } from '@pujiang/crypto';
import { Finalize, type GovernanceAction, Propose, validatorSetStateKey } from '@pujiang/module-governance';
import {
  ApplyRecovery,
  CreateClient,
  RECOVER_PARAM,
  RecoverClient,
  type Submission,
  SubmitMisbehaviour,
  UpdateClient,
} from '@pujiang/module-xchain';
import { blockHash, certificateFromJson, encodeCertificate, headerFromJson } from '@pujiang/protocol';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@pujiang/types';
import { homePaths, type RunningNode, readKeyFile, startNode } from '../src/index.js';
import { getJson, postJson, testHome, transferWire, until } from './helpers.js';

/**
 * A light client of one real chain kept on another, both in-process validators with their
 * own genesis and suite (SM2 on the followed chain, Ed25519 on the host): this test is the
 * relayer, reading the followed chain's API and submitting `xchain/*` transactions.
 */
describe('xchain light clients between two running chains', () => {
  const host = testHome('ed25519');
  const followed = testHome('sm2');
  let hostNode: RunningNode;
  let followedNode: RunningNode;
  let nonce = 0n;

  before(async () => {
    hostNode = await startNode({ home: host.home });
    followedNode = await startNode({ home: followed.home });
    await until(
      () => (hostNode.node.chain.height >= 1n && followedNode.node.chain.height >= 3n) || undefined,
    );
  });
  after(async () => {
    await hostNode.stop();
    await followedNode.stop();
  });

  /** What a relayer reads from the followed chain's API for header `height`. */
  async function submission(height: number): Promise<Submission> {
    const base = followedNode.apiUrl;
    const { body: h } = await getJson(`${base}/v1/headers/${height}`);
    const { body: v } = await getJson(`${base}/v1/validators?height=${height}`);
    const { body: s } = await getJson(
      `${base}/v1/state/${bytesToHex(validatorSetStateKey())}?height=${height}`,
    );
    return {
      header: headerFromJson(h.header),
      certificate: encodeCertificate(certificateFromJson(h.certificate)),
      validators: v.validators.map((x: { suite: string; publicKey: string; power: number }) => ({
        suite: x.suite,
        publicKey: hexToBytes(x.publicKey),
        power: BigInt(x.power),
      })),
      nextValidatorsRead: utf8ToBytes(JSON.stringify({ key: s.key, value: s.value, proof: s.proof })),
    };
  }

  const send = (type: string, payload: Uint8Array) => sendAs('xchain', type, payload);
  const sendAs = async (module: string, type: string, payload: Uint8Array): Promise<string> => {
    const wire = transferWire(host.genesis, host.operatorKey, nonce++, host.operatorAddress, 1n, {
      module,
      type,
      payload,
    });
    const { status, body } = await postJson(`${hostNode.apiUrl}/v1/txs`, {
      tx: bytesToHex(wire),
      wait: true,
    });
    assert.equal(status, 200, JSON.stringify(body));
    return body.receipt.code;
  };

  it('creates a client of the SM2 chain and follows its headers; refuses tampered and repeated-old ones', async () => {
    const first = Number(followedNode.node.chain.height) - 1;
    const create = (trusted: Submission, clientId = 'gov-sm2') =>
      send(
        'createClient',
        encode(CreateClient, {
          clientId,
          chainId: followed.genesis.chainId,
          chainHash: 'sm3',
          trustingPeriodMs: 86_400_000n,
          maxClockDriftMs: 10_000n,
          trusted,
        }),
      );
    assert.equal(await create(await submission(first)), 'OK');
    assert.equal(await create(await submission(first)), 'XCHAIN_CLIENT_EXISTS');
    assert.equal(await create(await submission(first), 'Bad Id'), 'XCHAIN_BAD_CLIENT_ID');

    await until(() => followedNode.node.chain.height > BigInt(first + 3) || undefined);
    const update = async (s: Submission) =>
      send('updateClient', encode(UpdateClient, { clientId: 'gov-sm2', header: s }));
    assert.equal(await update(await submission(first + 1)), 'OK');
    // Skipping ahead: the same validators vouch for it.
    assert.equal(await update(await submission(first + 3)), 'OK');
    const { body } = await getJson(`${hostNode.apiUrl}/v1/query/xchain/client?id=gov-sm2`);
    assert.equal(body.result.client.latestHeight, String(first + 3));
    assert.equal(body.result.client.frozenHeight, '0');
    const { body: cs } = await getJson(
      `${hostNode.apiUrl}/v1/query/xchain/consensusState?id=gov-sm2&at=${first + 3}`,
    );
    const { body: header } = await getJson(`${followedNode.apiUrl}/v1/headers/${first + 3}`);
    assert.equal(cs.result.consensusState.stateRoot, header.header.stateRoot);

    // The same header again: nothing to do. An older one it never held: refused.
    assert.equal(await update(await submission(first + 3)), 'OK');
    assert.equal(await update(await submission(first + 2)), 'XCHAIN_HEADER_OLD');
    // A header altered after it was certified.
    await until(() => followedNode.node.chain.height > BigInt(first + 5) || undefined);
    const tampered = await submission(first + 5);
    assert.equal(
      await update({ ...tampered, header: { ...tampered.header, txCount: tampered.header.txCount + 1 } }),
      'XCHAIN_BAD_CERTIFICATE',
    );
    // Unknown clients and malformed certificates are typed refusals too.
    assert.equal(
      await send('updateClient', encode(UpdateClient, { clientId: 'nobody', header: tampered })),
      'XCHAIN_CLIENT_UNKNOWN',
    );
    assert.equal(await update({ ...tampered, certificate: new Uint8Array(5) }), 'XCHAIN_BAD_CERTIFICATE');
  });

  it("the followed chain's validator signs two headers of one height: the client freezes, and governance recovers it", async () => {
    const clientId = 'gov-sm2';
    const update = async (sub: Submission) =>
      send('updateClient', encode(UpdateClient, { clientId, header: sub }));
    // Evidence: the real header and another of the same height, both signed by its one validator.
    const h = Number(followedNode.node.chain.height) - 1;
    const real = await submission(h);
    const forged = forgeWithValidator(real, readKeyFile(homePaths(followed.home).nodeKey));
    assert.equal(
      await send('submitMisbehaviour', encode(SubmitMisbehaviour, { clientId, a: real, b: real })),
      'XCHAIN_NOT_MISBEHAVIOUR',
    );
    assert.equal(
      await send('submitMisbehaviour', encode(SubmitMisbehaviour, { clientId, a: real, b: forged })),
      'OK',
    );
    const frozen = (await getJson(`${hostNode.apiUrl}/v1/query/xchain/client?id=${clientId}`)).body.result
      .client;
    assert.equal(frozen.frozenHeight, String(h));
    await until(() => followedNode.node.chain.height > BigInt(h + 2) || undefined);
    assert.equal(await update(await submission(h + 2)), 'XCHAIN_CLIENT_FROZEN');
    assert.equal(await send('applyRecovery', encode(ApplyRecovery, { clientId })), 'XCHAIN_NO_RECOVERY');

    // Governance trusts a header anew (the host's one organization: approved at once, then the time-lock).
    const fresh = await submission(Number(followedNode.node.chain.height) - 1);
    const action: GovernanceAction = {
      type: 'setModuleParam',
      value: {
        module: 'xchain',
        name: RECOVER_PARAM,
        value: encode(RecoverClient, { clientId, trusted: fresh }),
      },
    };
    assert.equal(
      await sendAs('governance', 'propose', encode(Propose, { title: 'recover gov-sm2', action })),
      'OK',
    );
    let finalized = 'GOV_NOT_READY';
    for (let i = 0; finalized === 'GOV_NOT_READY' && i < 200; i++) {
      finalized = await sendAs('governance', 'finalize', encode(Finalize, { id: 1n }));
      if (finalized === 'GOV_NOT_READY') await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.equal(finalized, 'OK');
    // Anyone applies it, once; the client follows the chain again.
    assert.equal(await send('applyRecovery', encode(ApplyRecovery, { clientId })), 'OK');
    assert.equal(await send('applyRecovery', encode(ApplyRecovery, { clientId })), 'XCHAIN_NO_RECOVERY');
    const recovered = (await getJson(`${hostNode.apiUrl}/v1/query/xchain/client?id=${clientId}`)).body.result
      .client;
    assert.equal(recovered.frozenHeight, '0');
    assert.equal(recovered.generation, 1);
    const next = Number(fresh.header.height) + 1;
    await until(() => followedNode.node.chain.height > BigInt(next) || undefined);
    assert.equal(await update(await submission(next)), 'OK');
  });
});

/** Another header of the same height, certified by the followed chain's own validator key (an equivocation). */
function forgeWithValidator(real: Submission, validator: KeyPair): Submission {
  const header = { ...real.header, txRoot: new Uint8Array(32).fill(9), txCount: real.header.txCount + 1 };
  const height = Number(header.height);
  const value = blockHash('sm3', header);
  const message = { type: 'precommit' as const, height, round: 0, value, validator: 0 };
  const certificate = {
    height,
    round: 0,
    value,
    precommits: [
      { message, signature: sign(validator.secretKey, voteSignBytes(header.chainId, message)).bytes },
    ],
  };
  return { ...real, header, certificate: encodeCertificate(certificate) };
}
